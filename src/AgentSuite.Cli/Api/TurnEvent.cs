namespace AgentSuite.Cli.Api;

/// <summary>One event of a turn, as the Api streams it (SSE) or lists it in a turn's <c>events</c>.</summary>
public sealed record TurnEvent
{
    public long Seq { get; init; }

    public string Type { get; init; } = "";

    public string? Agent { get; init; }

    /// <summary><c>server/tool</c>.</summary>
    public string? Tool { get; init; }

    /// <summary>A specialist's call ids are prefixed with the hand-off's id and '/', e.g. <c>call_1/call_2</c>.</summary>
    public string? ToolCallId { get; init; }

    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public string? ApprovalId { get; init; }

    public string? Text { get; init; }

    public DateTimeOffset? At { get; init; }
}
