namespace Policy.McpServer;

/// <summary>The refund policy: its text, the approval bands from smallest to largest, and how long after a charge a refund may be paid.</summary>
public sealed record RefundPolicy(
    string Currency,
    string Text,
    IReadOnlyList<RefundBand> Bands,
    int DuplicateChargeWindowDays,
    int StandardWindowDays);
