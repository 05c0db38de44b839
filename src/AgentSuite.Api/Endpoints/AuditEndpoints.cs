using AgentSuite.Api.Auth;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Endpoints;

/// <summary>The hash-chained audit log, page by page, and its verification.</summary>
internal static class AuditEndpoints
{
    private const int DefaultLimit = 200;
    private const int MaxLimit = 1000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").RequireRole(Roles.Admin);
        group.MapGet("/", ReadAsync);
        group.MapGet("/verify", VerifyAsync);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IAuditStore audit, string? conversationId, string? afterSeq, string? limit)
    {
        long after = 0;
        if (afterSeq is not null && (!long.TryParse(afterSeq, out after) || after < 0))
        {
            return Problems.BadRequest($"afterSeq must be a whole number of 0 or more (the seq of the last entry you have); got '{afterSeq}'.");
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out take) || take is < 1 or > MaxLimit))
        {
            return Problems.BadRequest($"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
        }

        var page = new List<object>();
        await foreach (var r in audit.ReadAsync(new AuditQuery(string.IsNullOrEmpty(conversationId) ? null : conversationId, after, take), http.RequestAborted))
        {
            var e = r.Entry;
            page.Add(new
            {
                seq = r.Seq,
                at = e.At,
                kind = e.Kind,
                conversationId = e.ConversationId,
                runId = e.RunId,
                agent = e.Agent,
                principal = e.Principal,
                tool = e.Tool,
                toolCallId = e.ToolCallId,
                decision = e.Decision,
                reason = e.Reason,
                data = e.Data,
                prevHash = r.PrevHash,
                hash = r.Hash,
            });
        }

        return TypedResults.Ok(page);
    }

    private static async Task<IResult> VerifyAsync(IAuditStore audit, HttpContext http)
    {
        var v = await AuditVerifier.VerifyAsync(audit, http.RequestAborted);
        return TypedResults.Ok(new { ok = v.Ok, count = v.Count, headHash = v.HeadHash, firstBadSeq = v.FirstBadSeq, problem = v.Problem });
    }
}
