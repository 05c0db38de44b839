namespace AgentSuite.Governance;

/// <summary>
/// Who is calling: one agent's run inside a conversation, on behalf of a principal. A specialist reached through a
/// hand-off runs with the same conversation, run id and principal, its own agent name, and the hand-off's tool-call id
/// as <see cref="ParentToolCallId"/>, so the audit can rebuild the hand-off tree.
/// </summary>
public sealed record AgentRunContext(string ConversationId, string RunId, string Agent, Principal Principal)
{
    private static readonly AsyncLocal<AgentRunContext?> Ambient = new();

    /// <summary>The tool-call id of the hand-off that started this run, if any.</summary>
    public string? ParentToolCallId { get; init; }

    /// <summary>The agents that handed work down to this run, outermost first (empty for the agent a user talks to).</summary>
    public IReadOnlyList<string> Callers { get; init; } = [];

    /// <summary>The user's message that started the turn (the customer's request), shown to approvers; optional.</summary>
    public string? Request { get; init; }

    /// <summary>Receives the governance events of this run (for streaming to a user); optional.</summary>
    public IGovernanceEventSink? Events { get; init; }

    /// <summary>
    /// Makes the caller's own state durable (a durable turn's checkpoint). Governance calls it before it asks a person
    /// for a new approval, so a request never exists that the caller's state does not know about; optional.
    /// </summary>
    public Func<CancellationToken, Task>? Checkpoint { get; init; }

    /// <summary>
    /// Confirms the caller still owns its work and extends its hold on it (a durable turn's lease on a store shared by
    /// instances), throwing <see cref="Conversations.TurnLeaseLostException"/> when it does not. Governance calls it right
    /// before a call that may have a side effect runs, so an instance whose turn another took over runs none; optional.
    /// </summary>
    public Func<CancellationToken, Task>? HoldLease { get; init; }

    /// <summary>The run flowing with the current async context, for callers that cannot pass it in the arguments.</summary>
    public static AgentRunContext? Current => Ambient.Value;

    /// <summary>Makes <paramref name="run"/> the ambient run until the returned scope is disposed.</summary>
    public static IDisposable Enter(AgentRunContext run)
    {
        var previous = Ambient.Value;
        Ambient.Value = run;
        return new Scope(previous);
    }

    /// <summary>
    /// The id governance and the audit use for a call the model numbered <paramref name="modelCallId"/>: unchanged for
    /// the top agent, prefixed with the hand-off's id for a specialist (<c>call_1/call_2</c>), so ids stay unique across
    /// the run and each one shows where in the hand-off tree the call was made.
    /// </summary>
    public string ToolCallIdFor(string modelCallId) => ToolCallId(ParentToolCallId, modelCallId);

    /// <summary>The id governance uses for a call the model numbered <paramref name="modelCallId"/> in the run started by <paramref name="parentToolCallId"/>.</summary>
    public static string ToolCallId(string? parentToolCallId, string modelCallId) =>
        parentToolCallId is null ? modelCallId : parentToolCallId + "/" + modelCallId;

    /// <summary>The run for a specialist reached through a hand-off from this run.</summary>
    public AgentRunContext ForHandOff(string agent, string handOffToolCallId) =>
        this with { Agent = agent, ParentToolCallId = handOffToolCallId, Callers = [.. Callers, Agent] };

    private sealed class Scope(AgentRunContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
