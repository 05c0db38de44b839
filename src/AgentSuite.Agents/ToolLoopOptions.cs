namespace AgentSuite.Agents;

/// <summary>
/// The tool loop's limits, set on the model pipeline's function-invoking client (Semantic Kernel's defaults allow 128
/// rounds; Microsoft.Extensions.AI's 40 and three errors). Names follow <c>FunctionInvokingChatClient</c>.
/// </summary>
public sealed class ToolLoopOptions
{
    /// <summary>Model calls per agent run; on the last one tools are withdrawn, so the model must answer in text.</summary>
    public int MaximumIterationsPerRequest { get; set; } = 8;

    /// <summary>
    /// Tool calls in a row that fail before the run is ended with an error. Governance denials do not count, except
    /// arguments that are not JSON (a model that keeps writing broken JSON is failing).
    /// </summary>
    public int MaximumConsecutiveErrorsPerRequest { get; set; } = 3;
}
