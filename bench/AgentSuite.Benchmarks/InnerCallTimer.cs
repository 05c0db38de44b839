using System.Diagnostics;
using AgentSuite.Governance;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A filter registered after the default ones, so it is the innermost: it times exactly the tool's own run (the MCP
/// call through the app's connection, or a hand-off's specialist run), which the turn benchmark subtracts from the
/// governed call to get governance's share.
/// </summary>
internal sealed class InnerCallTimer(TurnClock clock) : IToolCallFilter
{
    public string Name => "bench-timer";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        var outcome = await next(context);
        clock.ToolRan(context.Tool, Stopwatch.GetTimestamp() - start);
        return outcome;
    }
}
