namespace AgentSuite.Agents;

/// <summary>The tool loop's limits; names follow <c>FunctionInvokingChatClient</c> so a fork can swap the loop out.</summary>
public sealed class ToolLoopOptions
{
    /// <summary>Model calls per agent run; on the last one tools are withdrawn, so the model must answer in text.</summary>
    public int MaximumIterationsPerRequest { get; set; } = 8;

    /// <summary>Tool calls in a row that fail before the run is ended with an error.</summary>
    public int MaximumConsecutiveErrorsPerRequest { get; set; } = 3;
}
