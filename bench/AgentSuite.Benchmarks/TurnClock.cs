using System.Diagnostics;
using AgentSuite.Governance;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Where one turn's time goes, gathered while it runs (turns run one at a time, so one clock serves them all):
/// <list type="bullet">
/// <item>the model calls, timed by <see cref="TimedChatClient"/>;</item>
/// <item>each governed call from its <c>tool.requested</c> event to its outcome event, the pipeline's first and last acts;</item>
/// <item>the part of that the tool itself took, timed by <see cref="InnerCallTimer"/>, the innermost filter.</item>
/// </list>
/// A call's governance time is its span minus its tool time; for the hand-off the tool time is the whole specialist
/// run, so the specialist's own calls are not counted twice. Every hook takes one lock: a runtime may publish from
/// whichever thread its continuations run on, or run a response's tool calls concurrently.
/// </summary>
internal sealed class TurnClock : IGovernanceEventSink
{
    /// <summary>The server name of hand-off tools (<c>agents/ask_billing</c>); every other server is an MCP server.</summary>
    private const string HandOffServer = "agents";

    private readonly Dictionary<(string? Tool, string? Id), long> _requested = [];
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();

    public long ModelTicks { get; private set; }

    public int ModelCalls { get; private set; }

    public long McpTicks { get; private set; }

    public int McpCalls { get; private set; }

    /// <summary>Governance time of the MCP calls (read-only here: two audit commits each).</summary>
    public long McpGovernanceTicks { get; private set; }

    /// <summary>Governance time of the hand-offs (not read-only: two audit commits plus the idempotency claim and completion).</summary>
    public long HandOffGovernanceTicks { get; private set; }

    public long GovernanceTicks => McpGovernanceTicks + HandOffGovernanceTicks;

    /// <summary>Governed calls (hand-offs included) that completed.</summary>
    public int Completed { get; private set; }

    /// <summary>Every denial, failure or replay seen; a benchmark turn must have none.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public void Start()
    {
        lock (_gate)
        {
            _requested.Clear();
            _problems.Clear();
            (ModelTicks, ModelCalls, McpTicks, McpCalls, McpGovernanceTicks, HandOffGovernanceTicks, Completed) = (0, 0, 0, 0, 0, 0, 0);
        }
    }

    public void Publish(GovernanceEvent governanceEvent)
    {
        var now = Stopwatch.GetTimestamp();
        // Keyed by tool too: the span stays right even if a runtime numbers a specialist's calls as its coordinator's.
        var id = (governanceEvent.Tool, governanceEvent.ToolCallId);
        lock (_gate)
        {
            Record(governanceEvent, id, now);
        }
    }

    /// <summary>One model call began (counted as it is asked, so a stream its caller leaves early still counts).</summary>
    public void ModelCallStarted()
    {
        lock (_gate)
        {
            ModelCalls++;
        }
    }

    /// <summary>The model's own time in one call.</summary>
    public void ModelTimed(long ticks)
    {
        lock (_gate)
        {
            ModelTicks += ticks;
        }
    }

    public void ToolRan(ToolIdentity tool, long ticks)
    {
        lock (_gate)
        {
            if (tool.Server == HandOffServer)
            {
                HandOffGovernanceTicks -= ticks;
                return;
            }

            McpGovernanceTicks -= ticks;
            McpTicks += ticks;
            McpCalls++;
        }
    }

    private void Record(GovernanceEvent governanceEvent, (string?, string?) id, long now)
    {
        switch (governanceEvent.Type)
        {
            case GovernanceEventTypes.ToolRequested:
                _requested[id] = now;
                break;
            case GovernanceEventTypes.ToolCompleted when governanceEvent.Decision == "completed" && _requested.Remove(id, out var start):
                if (governanceEvent.Tool?.StartsWith(HandOffServer + "/", StringComparison.Ordinal) == true)
                {
                    HandOffGovernanceTicks += now - start;
                }
                else
                {
                    McpGovernanceTicks += now - start;
                }

                Completed++;
                break;
            case GovernanceEventTypes.ToolCompleted:
            case GovernanceEventTypes.ToolFailed:
            case GovernanceEventTypes.ToolDecision when governanceEvent.Decision != "allowed":
                _problems.Add($"{governanceEvent.Tool} ({governanceEvent.ToolCallId}): {governanceEvent.Type} {governanceEvent.Decision}: {governanceEvent.Reason}");
                break;
        }
    }
}
