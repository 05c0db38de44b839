namespace AgentSuite.Api.Turns;

/// <summary>
/// One event of a turn as the HTTP contract shows it (SSE <c>event:</c> and <c>type</c>). <see cref="Text"/> is an
/// agent's answer on <c>message.completed</c> and the reply on <c>turn.completed</c>; on <c>agent.started</c>,
/// <see cref="ToolCallId"/> is the hand-off call that started the agent.
/// </summary>
public sealed record TurnEvent(long Seq, string Type, string Agent, DateTimeOffset At)
{
    public string? Tool { get; init; }

    public string? ToolCallId { get; init; }

    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public string? ApprovalId { get; init; }

    public string? Text { get; init; }
}
