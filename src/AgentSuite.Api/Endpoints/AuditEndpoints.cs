using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Endpoints;

/// <summary>The hash-chained audit log, page by page, its verification, and the anchor of its head.</summary>
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
            .WithDescription("Recomputes every entry's hash and the chain's head, and compares them with the signed anchor kept outside the database; firstBadSeq and problem say where and what when ok is false (a truncated tail: the first missing entry; a rebuilt chain: the first entry that may have changed).")
            .Produces<AuditVerificationView>();
        group.MapGet("/anchor", AnchorAsync)
            .WithSummary("The signed anchor of the audit chain's head")
            .WithDescription("The last anchor kept outside the database (count, head seq and hash, earlier checkpoints, HMAC-SHA256 signature), to keep elsewhere too; 404 before the first one is written.")
            .Produces<AuditAnchor>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
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

    private static async Task<IResult> VerifyAsync(AuditAnchorService anchor, HttpContext http)
    {
        var report = await anchor.VerifyAsync(http.RequestAborted);
        var (chain, check) = (report.Chain, report.Anchor);
        return TypedResults.Ok(new AuditVerificationView(report.Ok, chain.Count, chain.HeadHash, report.FirstBadSeq, report.Problem,
            new AuditAnchorCheckView(check.Ok, check.Status, check.Anchor?.Count, check.Anchor?.HeadHash, check.Anchor?.At, check.FirstBadSeq, check.Problem)));
    }

    private static async Task<IResult> AnchorAsync(AuditAnchorService anchor, HttpContext http)
    {
        try
        {
            return await anchor.ReadAsync(http.RequestAborted) is { } kept
                ? TypedResults.Ok(kept)
                : Problems.NotFound("No audit anchor has been written yet; the Api writes one when it starts.");
        }
        catch (InvalidDataException ex)
        {
            return Problems.Conflict($"The kept audit anchor cannot be read: {ex.Message}");
        }
    }
}
