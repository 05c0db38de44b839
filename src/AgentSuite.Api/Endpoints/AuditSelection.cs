using System.Globalization;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;

namespace AgentSuite.Api.Endpoints;

/// <summary>The query string of <c>GET /api/audit</c> and its export: which entries, all filters combined; empty means all.</summary>
internal sealed class AuditSelection
{
    public string? ConversationId { get; set; }

    public string? Agent { get; set; }

    /// <summary>A tool pattern as in the Governance section: <c>billing/issue_refund</c>, <c>billing/*</c>.</summary>
    public string? Tool { get; set; }

    public string? Decision { get; set; }

    public string? Kind { get; set; }

    public string? Principal { get; set; }

    /// <summary>ISO 8601 with an offset; entries at or after it.</summary>
    public string? From { get; set; }

    /// <summary>ISO 8601 with an offset; entries before it.</summary>
    public string? To { get; set; }

    public string? AfterSeq { get; set; }

    public string? Limit { get; set; }

    /// <summary>The query, or the problem with the parameter that names it.</summary>
    public AuditQuery? ToQuery(int defaultLimit, int maxLimit, out string? problem)
    {
        problem = null;
        long after = 0;
        if (AfterSeq is not null && (!long.TryParse(AfterSeq, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            problem = $"afterSeq must be a whole number of 0 or more (the seq of the last entry you have); got '{AfterSeq}'.";
            return null;
        }

        var take = defaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > maxLimit))
        {
            problem = $"limit must be a whole number from 1 to {maxLimit}; got '{Limit}'.";
            return null;
        }

        ToolPattern? tool = null;
        if (!string.IsNullOrEmpty(Tool))
        {
            try
            {
                tool = ToolPattern.Parse(Tool);
            }
            catch (FormatException ex)
            {
                problem = $"tool must be a tool pattern such as 'billing/issue_refund' or 'billing/*': {ex.Message}";
                return null;
            }
        }

        if (!TryTime(From, "from", out var from, out problem) || !TryTime(To, "to", out var to, out problem))
        {
            return null;
        }

        if (from is { } f && to is { } t && f >= t)
        {
            problem = $"from must be earlier than to; got from '{From}' and to '{To}'.";
            return null;
        }

        return new AuditQuery(Empty(ConversationId), after, take)
        {
            Agent = Empty(Agent),
            Tool = tool,
            Decision = Empty(Decision),
            Kind = Empty(Kind),
            Principal = Empty(Principal),
            From = from,
            To = to,
        };
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryTime(string? text, string name, out DateTimeOffset? value, out string? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        // An instant needs its offset: a bare local time would mean something else on the server.
        if (HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = $"{name} must be an ISO 8601 date and time with an offset, such as 2026-12-06T08:00:00Z; got '{text}'.";
        return false;
    }

    private static bool HasOffset(string text)
    {
        var time = text.IndexOfAny(['T', 't']);
        return time > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') >= 0);
    }
}
