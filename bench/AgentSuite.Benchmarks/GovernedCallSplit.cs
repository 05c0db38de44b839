using System.Diagnostics;
using AgentSuite.Governance;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Splits one governed call (one at a time) around the tool's own run, with the pipeline's own marks: the tool's run is
/// timed by this filter, registered after the default ones so it is the innermost, and the call's end is its outcome
/// event. Before the run: the filters, the "allowed" entry and its commit. After it: the "completed" entry and its
/// commit, screening, and the way back out. Off, the filter passes straight through and records nothing.
/// </summary>
internal sealed class GovernedCallSplit : IToolCallFilter, IGovernanceEventSink
{
    private long _toolStart;
    private long _toolEnd;
    private long _outcome;

    public string Name => "bench-split";

    public bool On { get; set; }

    /// <summary>From the call's start to its tool's start, the tool's run, and from the tool's end to the outcome event.</summary>
    public (long Before, long Tool, long After) Split(long callStart) => (_toolStart - callStart, _toolEnd - _toolStart, _outcome - _toolEnd);

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next) =>
        On ? TimeAsync(context, next) : next(context);

    public void Publish(GovernanceEvent governanceEvent)
    {
        if (On && governanceEvent.Type == GovernanceEventTypes.ToolCompleted)
        {
            _outcome = Stopwatch.GetTimestamp();
        }
    }

    private async ValueTask<ToolCallOutcome> TimeAsync(ToolCallContext context, ToolCallDelegate next)
    {
        _toolStart = Stopwatch.GetTimestamp();
        var outcome = await next(context);
        _toolEnd = Stopwatch.GetTimestamp();
        return outcome;
    }
}
