namespace Policy.McpServer;

/// <summary>Who handles a refund up to <see cref="UpTo"/> (inclusive; null means no upper limit).</summary>
public sealed record RefundBand(string Band, decimal? UpTo, string Handling);
