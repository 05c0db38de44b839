using System.Text.Json;
using AgentSuite.Api.Approvals;
using AgentSuite.Api.Contract;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Idempotency;

namespace AgentSuite.Api.Endpoints;

/// <summary>Approvals as the API shows them, with their context; whether a call would be a replay is read when asked.</summary>
internal sealed class ApprovalViews(IIdempotencyStore idempotency, ApprovalLinks links)
{
    public async Task<ApprovalView> ViewAsync(ApprovalRequest r, HttpRequest http, CancellationToken cancellationToken) =>
        View(r, http, r.Status == ApprovalStatus.Pending ? await ReplayAsync(r, cancellationToken) : null);

    /// <summary>
    /// Whether approving <paramref name="r"/> would only replay (or refuse) the call, because its idempotency key already
    /// completed: read from the store now, since the key may complete while the request waits.
    /// </summary>
    public async Task<ApprovalReplayView?> ReplayAsync(ApprovalRequest r, CancellationToken cancellationToken)
    {
        if (r.IdempotencyKey is not { } key || await idempotency.GetAsync(key, cancellationToken) is not { State: IdempotencyState.Completed } done)
        {
            return null;
        }

        var same = string.Equals(done.ArgumentsHash, r.ArgumentsHash, StringComparison.Ordinal);
        var when = done.CompletedAt is { } at ? $" at {AuditChain.FormatTime(at)}" : "";
        return new ApprovalReplayView(done.CompletedAt, same, same
            ? $"Will be replayed, not executed: the same call (idempotency key '{key}') already completed{when}. Approving returns the stored result; {r.Tool} does not run again."
            : $"Will be refused, not executed: the idempotency key '{key}' already completed{when} with different arguments.");
    }

    public ApprovalView View(ApprovalRequest r, HttpRequest http, ApprovalReplayView? replay)
    {
        var baseUrl = links.BaseFor(http);
        return new(
            r.Id,
            r.ConversationId,
            r.RunId,
            r.ToolCallId,
            r.Agent,
            r.Tool,
            JsonSerializer.Deserialize<JsonElement>(r.Arguments),
            r.ArgumentsHash,
            r.RequestedBy,
            r.RequestedAt,
            r.ExpiresAt,
            r.Reason,
            ApprovalEndpoints.StatusName(r.Status),
            r.DecidedBy,
            r.DecidedAt,
            r.Comment,
            r.Request,
            r.AgentPath.Count > 0 ? r.AgentPath : [r.Agent],
            r.IdempotencyKey,
            replay,
            new ApprovalLinksView(
                ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationPagePath(r.ConversationId)),
                ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationApiPath(r.ConversationId))));
    }
}
