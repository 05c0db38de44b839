using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;

namespace AgentSuite.Api.Endpoints;

/// <summary>The approvals inbox: pending calls with their exact arguments and context, and decisions by a second person.</summary>
internal static class ApprovalEndpoints
{
    private const string Example = "{ \"approve\": true, \"comment\": \"duplicate confirmed\" }";

    public static void MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/approvals").RequireRole(Roles.Approver).WithTags("Approvals").ProducesCallerProblems();
        group.MapGet("", ListAsync)
            .WithSummary("The approvals inbox")
            .WithDescription("Approval requests with the exact arguments each releases, the customer's request, the agent path and links to the conversation; a pending call whose idempotency key already completed says it will be replayed, not executed. status is pending (the default), approved, denied, timed_out or all.")
            .Produces<IReadOnlyList<ApprovalView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetAsync)
            .WithSummary("One approval request")
            .Produces<ApprovalView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/decision", DecideAsync)
            .WithSummary("Approve or deny a pending call")
            .WithDescription("A second person decides: the requester never approves their own call (403); a decided or expired request answers 409.")
            .AcceptsJson<DecisionRequest>()
            .Produces<ApprovalView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static string StatusName(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Denied => "denied",
        _ => "timed_out",
    };

    private static async Task<IResult> ListAsync(string? status, ApprovalService approvals, ApprovalViews views, HttpContext http)
    {
        if (!TryParseStatus(status ?? "pending", out var filter))
        {
            return Problems.BadRequest($"'{status}' is not an approval status; use pending, approved, denied, timed_out or all.");
        }

        var list = await approvals.ListAsync(filter, http.RequestAborted);
        var shown = new List<ApprovalView>(list.Count);
        foreach (var request in list)
        {
            shown.Add(await views.ViewAsync(request, http.Request, http.RequestAborted));
        }

        return TypedResults.Ok(shown);
    }

    /// <summary>A status name, or <c>all</c> (null: no filter).</summary>
    private static bool TryParseStatus(string text, out ApprovalStatus? status)
    {
        status = null;
        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<ApprovalStatus>())
        {
            if (string.Equals(text, StatusName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        return false;
    }

    private static async Task<IResult> GetAsync(string id, ApprovalService approvals, ApprovalViews views, HttpContext http) =>
        await approvals.GetAsync(id, http.RequestAborted) is { } request
            ? TypedResults.Ok(await views.ViewAsync(request, http.Request, http.RequestAborted))
            : Problems.NotFound($"No approval request '{id}' exists.");

    private static async Task<IResult> DecideAsync(string id, HttpContext http, ApprovalService approvals, ApprovalViews views)
    {
        var (body, invalid) = await JsonBody.ReadAsync<DecisionRequest>(http.Request, Example);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body!.Approve is not { } approve)
        {
            return Problems.BadRequest($"Say whether to approve: send {Example}.");
        }

        // Read before deciding: once approved, the call's own completion must not read as an earlier one.
        var replay = await approvals.GetAsync(id, http.RequestAborted) is { Status: ApprovalStatus.Pending } pending && approve
            ? await views.ReplayAsync(pending, http.RequestAborted)
            : null;
        try
        {
            var decided = await approvals.DecideAsync(id, http.User.ToPrincipal(), approve, body.Comment, CancellationToken.None);
            return TypedResults.Ok(views.View(decided, http.Request, replay));
        }
        catch (ApprovalException ex)
        {
            return ex.Kind switch
            {
                ApprovalErrorKind.NotFound => Problems.NotFound(ex.Message),
                ApprovalErrorKind.AlreadyDecided or ApprovalErrorKind.TurnEnded => Problems.Conflict(ex.Message),
                _ => Problems.Forbidden(ex.Message),
            };
        }
    }

    private sealed record DecisionRequest(bool? Approve, string? Comment);
}
