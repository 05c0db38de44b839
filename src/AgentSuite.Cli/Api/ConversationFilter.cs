namespace AgentSuite.Cli.Api;

/// <summary>The filters and page of <c>GET /api/conversations</c>; each left null is not sent (the Api's default).</summary>
public sealed record ConversationFilter
{
    public string? User { get; init; }

    public string? Status { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public int? Limit { get; init; }

    public string? AfterId { get; init; }

    /// <summary>The query string, without its '?'.</summary>
    public string ToQuery() => string.Join("&", new (string Name, string? Value)[]
        {
            ("user", User), ("status", Status), ("from", From), ("to", To), ("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("afterId", AfterId),
        }
        .Where(p => p.Value is not null)
        .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
