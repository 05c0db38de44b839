using System.Globalization;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using Microsoft.AspNetCore.WebUtilities;

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
            .WithDescription($"Entries in sequence order after afterSeq (default 0) that match every filter given (conversationId, agent, tool pattern such as billing/*, decision, kind, principal, from inclusive, to exclusive); limit 1 to {MaxLimit}, default {DefaultLimit}. A full page carries X-Next-After-Seq and a Link rel=\"next\" to the next one.")
            .Produces<IReadOnlyList<AuditEntryView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/export", ExportAsync)
            .WithSummary("Export a selection of the audit log")
            .WithDescription("The same filters as GET /api/audit (limit optional and unbounded), streamed as JSON Lines (default) or CSV (format=csv or Accept: text/csv), each entry with every field, its seq, prevHash and hash, so the slice can be checked against the chain (agentsuite audit verify --file).")
            // Each JSON line is one entry of this shape (nulls included); CSV has the same fields as columns.
            .Produces<AuditEntryView>(StatusCodes.Status200OK, AuditExport.JsonLines, AuditExport.Csv)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/verify", VerifyAsync)
            .WithSummary("Verify the audit chain")
            .WithDescription("Recomputes every entry's hash and the chain's head, and compares them with the signed anchor kept outside the database and, on a shared PostgreSQL store, with every other instance's published anchor (peers); firstBadSeq and problem say where and what when ok is false (a truncated tail: the first missing entry; a rebuilt chain: the first entry that may have changed).")
            .Produces<AuditVerificationView>();
        group.MapGet("/anchor", AnchorAsync)
            .WithSummary("The signed anchor of the audit chain's head")
            .WithDescription("The last anchor kept outside the database (count, head seq and hash, earlier checkpoints, HMAC-SHA256 signature), to keep elsewhere too; 404 before the first one is written.")
            .Produces<AuditAnchor>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IAuditStore audit, [AsParameters] AuditSelection selection)
    {
        if (selection.ToQuery(DefaultLimit, MaxLimit, out var problem) is not { } query)
        {
            return Problems.BadRequest(problem!);
        }

        var page = new List<AuditEntryView>();
        await foreach (var r in audit.ReadAsync(query, http.RequestAborted))
        {
            var e = r.Entry;
            page.Add(new AuditEntryView(r.Seq, e.At, e.Kind, e.ConversationId, e.RunId, e.Agent, e.Principal, e.Tool, e.ToolCallId, e.Decision, e.Reason, e.Data, r.PrevHash, r.Hash));
        }

        // Every filter is applied before the limit, so only a full page can have more after it.
        if (page.Count == query.Limit)
        {
            var next = page[^1].Seq.ToString(CultureInfo.InvariantCulture);
            var rest = http.Request.Query.Where(q => !q.Key.Equals("afterSeq", StringComparison.OrdinalIgnoreCase))
                .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
                .Append(KeyValuePair.Create("afterSeq", (string?)next));
            http.Response.Headers["X-Next-After-Seq"] = next;
            http.Response.Headers.Link = $"<{QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, rest)}>; rel=\"next\"";
        }

        return TypedResults.Ok(page);
    }

    private static async Task<IResult> ExportAsync(HttpContext http, IAuditStore audit, [AsParameters] AuditSelection selection, string? format)
    {
        if (AuditExport.MediaType(format, http.Request) is not { } mediaType)
        {
            return Problems.BadRequest($"format must be jsonl or csv; got '{format}'.");
        }

        if (selection.ToQuery(int.MaxValue, int.MaxValue, out var problem) is not { } query)
        {
            return Problems.BadRequest(problem!);
        }

        http.Response.ContentType = mediaType == AuditExport.Csv ? "text/csv; charset=utf-8" : AuditExport.JsonLines;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{(mediaType == AuditExport.Csv ? "csv" : "jsonl")}\"";
        await AuditExport.WriteAsync(http.Response.BodyWriter, audit.ReadAsync(query, http.RequestAborted), mediaType, http.RequestAborted);
        return Results.Empty;
    }

    private static async Task<IResult> VerifyAsync(AuditAnchorService anchor, HttpContext http)
    {
        var report = await anchor.VerifyAsync(http.RequestAborted);
        var (chain, check) = (report.Chain, report.Anchor);
        return TypedResults.Ok(new AuditVerificationView(report.Ok, chain.Count, chain.HeadHash, report.FirstBadSeq, report.Problem,
            new AuditAnchorCheckView(check.Ok, check.Status, check.Anchor?.Count, check.Anchor?.HeadHash, check.Anchor?.At, check.FirstBadSeq, check.Problem),
            report.Peers.Select(p => new AuditPeerCheckView(p.Source, p.Ok, p.Check.Status, p.Check.Anchor?.Count, p.Check.Anchor?.HeadHash, p.Check.Anchor?.At, p.Check.FirstBadSeq, p.Check.Problem)).ToList()));
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
