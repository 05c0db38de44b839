namespace AgentSuite.Governance;

/// <summary>What happened to one governed tool call.</summary>
public sealed class ToolCallOutcome
{
    private ToolCallOutcome(ToolCallStatus status, object? result, string? reason, string? stage, Exception? error)
    {
        Status = status;
        Result = result;
        Reason = reason;
        Stage = stage;
        Error = error;
    }

    public ToolCallStatus Status { get; }

    /// <summary>The tool's result (after screening) for <see cref="ToolCallStatus.Completed"/> and <see cref="ToolCallStatus.Replayed"/>.</summary>
    public object? Result { get; }

    /// <summary>Why the call was denied or failed, in words a model and a person can act on.</summary>
    public string? Reason { get; }

    /// <summary>The filter that decided a denial (<c>kill-switch</c>, <c>allow-list</c>, ...).</summary>
    public string? Stage { get; }

    public Exception? Error { get; }

    public static ToolCallOutcome Completed(object? result) => new(ToolCallStatus.Completed, result, null, null, null);

    public static ToolCallOutcome Replayed(object? result) => new(ToolCallStatus.Replayed, result, null, "idempotency", null);

    public static ToolCallOutcome Denied(string stage, string reason) => new(ToolCallStatus.Denied, null, reason, stage, null);

    public static ToolCallOutcome Failed(string reason, Exception? error = null, string? stage = null) =>
        new(ToolCallStatus.Failed, null, reason, stage, error);

    public override string ToString() => Reason is null ? Status.ToString() : $"{Status} ({Stage}): {Reason}";
}
