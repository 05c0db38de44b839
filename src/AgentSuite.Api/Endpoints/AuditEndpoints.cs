using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
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
        var group = app.MapGroup("/api/audit").RequireRole(Roles.Admin).WithTags("Audit").ProducesCallerProblems();
        group.MapGet("", ReadAsync)
            .WithSummary("The hash-chained audit log, page by page")
            .WithDescription($"Entries in sequence order after afterSeq (default 0), of one conversation or all; limit 1 to {MaxLimit}, default {DefaultLimit}.")
            .Produces<IReadOnlyList<AuditEntryView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/verify", VerifyAsync)
            .WithSummary("Verify the audit chain")
            .WithDescription("Recomputes every entry's hash and the chain's head; firstBadSeq and problem say where and what when ok is false.")
            .Produces<AuditVerificationView>();
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

        var page = new List<AuditEntryView>();
        await foreach (var r in audit.ReadAsync(new AuditQuery(string.IsNullOrEmpty(conversationId) ? null : conversationId, after, take), http.RequestAborted))
        {
            var e = r.Entry;
            page.Add(new AuditEntryView(r.Seq, e.At, e.Kind, e.ConversationId, e.RunId, e.Agent, e.Principal, e.Tool, e.ToolCallId, e.Decision, e.Reason, e.Data, r.PrevHash, r.Hash));
        }

        return TypedResults.Ok(page);
    }

    private static async Task<IResult> VerifyAsync(IAuditStore audit, HttpContext http)
    {
        var v = await AuditVerifier.VerifyAsync(audit, http.RequestAborted);
        return TypedResults.Ok(new AuditVerificationView(v.Ok, v.Count, v.HeadHash, v.FirstBadSeq, v.Problem));
    }
}
