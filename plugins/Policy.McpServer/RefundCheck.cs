namespace Policy.McpServer;

/// <summary>
/// What the policy says about one refund: the band that applies by amount, whether the charge is still inside the
/// refund window for its kind of reason, and in one sentence what to do.
/// </summary>
public sealed record RefundCheck(
    decimal Amount,
    int DaysSinceCharge,
    string ReasonKind,
    int WindowDays,
    bool WithinWindow,
    string Band,
    string Handling,
    string Explanation);
