using System.Globalization;
using AgentSuite.Agents;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Governance;
using AgentSuite.Governance.Conversations;

namespace AgentSuite.Api.Endpoints;

/// <summary><c>GET /api/conversations</c>: a page of conversations, newest first; a user sees their own, an admin everyone's.</summary>
internal static class ConversationList
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static readonly string Description =
        $"Newest first by createdAt. Filters: user (who started it; a user may name only themselves, an admin anyone or no one for all), " +
        $"status (the latest turn's: {string.Join(", ", ConversationStatus.All)}; none before the first message), " +
        $"from (inclusive) and to (exclusive), ISO 8601 instants compared with createdAt. Paging: limit 1 to {MaxLimit} (default {DefaultLimit}), " +
        "and afterId set to the previous page's nextAfterId, which is null on the last page.";

    public static async Task<IResult> ListAsync(
        HttpContext http, ConversationService conversations, string? user, string? status, string? from, string? to, string? afterId, string? limit)
    {
        var caller = http.User.ToPrincipal();
        var isAdmin = caller.IsInRole(Roles.Admin);
        if (user is { Length: 0 })
        {
            return Problems.BadRequest("user is empty; name the user who started the conversations, or leave it out.");
        }

        if (!isAdmin && user is not null && !string.Equals(user, caller.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Forbidden($"'{caller.Name}' may list only their own conversations (user={caller.Name}); listing another user's needs the '{Roles.Admin}' role.");
        }

        if (status is not null && !ConversationStatus.All.Contains(status))
        {
            return Problems.BadRequest($"status '{status}' is not one of {string.Join(", ", ConversationStatus.All)} (waiting: for an approval; completed: finished with a reply).");
        }

        if (!TryParseTime(from, out var fromTime))
        {
            return Problems.BadRequest($"from '{from}' is not an ISO 8601 date or instant, such as 2026-12-01 or 2026-12-01T09:30:00Z.");
        }

        if (!TryParseTime(to, out var toTime))
        {
            return Problems.BadRequest($"to '{to}' is not an ISO 8601 date or instant, such as 2026-12-01 or 2026-12-01T09:30:00Z.");
        }

        if (fromTime > toTime)
        {
            return Problems.BadRequest($"from ({from}) is after to ({to}); from is the earlier end of the range.");
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return Problems.BadRequest($"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
        }

        var query = new ConversationQuery(take + 1)
        {
            CreatedBy = isAdmin ? user : null,
            Owner = isAdmin ? null : caller,
            Status = status,
            From = fromTime,
            To = toTime,
            AfterId = string.IsNullOrEmpty(afterId) ? null : afterId,
        };
        var page = await conversations.ListAsync(query, http.RequestAborted);
        if (page.Count == 0 && query.AfterId is not null && await conversations.GetAsync(query.AfterId, http.RequestAborted) is null)
        {
            return Problems.BadRequest($"afterId '{afterId}' is not a conversation; send the nextAfterId of the previous page, or leave it out for the first page.");
        }

        // One more than asked tells whether another page follows.
        var items = page.Take(take).Select(View).ToList();
        return TypedResults.Ok(new ConversationListView(items) { NextAfterId = page.Count > take ? items[^1].Id : null });
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed;
        return true;
    }

    private static ConversationListItem View(ConversationSummary c) => new(c.Id, c.CreatedBy, c.CreatedAt, c.MessageCount)
    {
        LastMessageAt = c.LastMessageAt,
        Turn = c.LatestTurn is not { } t ? null : new TurnSummaryView(t.RunId, t.Status, t.StartedAt, t.UpdatedAt)
        {
            EndedAt = t.EndedAt,
            ApprovalId = t.ApprovalId,
            Reason = t.Reason,
        },
    };
}
