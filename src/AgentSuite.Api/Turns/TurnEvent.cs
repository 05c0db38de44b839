using AgentSuite.Governance;

namespace AgentSuite.Api.Turns;

/// <summary>
/// One event of a turn as the HTTP contract shows it (SSE <c>event:</c> and <c>type</c>). <see cref="Text"/> is an
/// agent's answer on <c>message.completed</c>, the reply on <c>turn.completed</c>, and on <c>turn.failed</c> the reply the
/// customer was given when the turn failed with one (the demo model's honest answer; <see cref="Reason"/> says why); on <c>agent.started</c>,
/// <see cref="ToolCallId"/> is the hand-off call that started the agent.
/// </summary>
public sealed record TurnEvent(long Seq, string Type, string Agent, DateTimeOffset At)
{
    public static TurnEvent From(long seq, GovernanceEvent e)
    {
        var text = e.Type is GovernanceEventTypes.MessageDelta or GovernanceEventTypes.MessageCompleted or GovernanceEventTypes.TurnCompleted;
        return new TurnEvent(seq, e.Type, e.Agent, e.At)
        {
            Tool = e.Tool,
            ToolCallId = e.ToolCallId,
            Decision = e.Decision,
            Reason = text ? null : e.Reason,
            ApprovalId = e.ApprovalId,
            Text = text ? e.Reason : e.Reply,
        };
    }

    public string? Tool { get; init; }

    public string? ToolCallId { get; init; }

    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public string? ApprovalId { get; init; }

    public string? Text { get; init; }
}
