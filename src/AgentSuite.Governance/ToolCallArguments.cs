using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// Attaches the run and the tool-call id to <see cref="AIFunctionArguments.Context"/>, which is how an agent loop tells a
/// <see cref="GovernedTool"/> who is calling and which call this is.
/// </summary>
public static class ToolCallArguments
{
    private const string RunKey = "agentsuite.run";
    private const string ToolCallIdKey = "agentsuite.toolCallId";
    private const string ResumptionKey = "agentsuite.resumption";

    public static AIFunctionArguments WithToolCall(this AIFunctionArguments arguments, AgentRunContext run, string toolCallId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolCallId);
        arguments.Context ??= new Dictionary<object, object?>();
        arguments.Context[RunKey] = run;
        arguments.Context[ToolCallIdKey] = toolCallId;
        return arguments;
    }

    public static AgentRunContext? GetRun(this AIFunctionArguments arguments) =>
        arguments.Context is { } c && c.TryGetValue(RunKey, out var run) ? run as AgentRunContext : null;

    /// <summary>Marks a call that was under way when its turn was suspended by a crash and is now being resumed.</summary>
    public static AIFunctionArguments WithResumption(this AIFunctionArguments arguments, ToolCallResumption resumption)
    {
        arguments.Context ??= new Dictionary<object, object?>();
        arguments.Context[ResumptionKey] = resumption;
        return arguments;
    }

    public static ToolCallResumption GetResumption(this AIFunctionArguments arguments) =>
        arguments.Context is { } c && c.TryGetValue(ResumptionKey, out var value) && value is ToolCallResumption r ? r : ToolCallResumption.None;

    public static string? GetToolCallId(this AIFunctionArguments arguments) =>
        arguments.Context is { } c && c.TryGetValue(ToolCallIdKey, out var id) ? id as string : null;
}
