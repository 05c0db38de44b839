using System.Text.Json;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;

namespace AgentSuite.Api.Endpoints;

/// <summary>The approvals inbox: pending calls with their exact arguments, and decisions by a second person.</summary>
internal static class ApprovalEndpoints
{
    private const string Example = "{ \"approve\": true, \"comment\": \"duplicate confirmed\" }";

    public static void MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/approvals").RequireRole(Roles.Approver).WithTags("Approvals").ProducesCallerProblems();
        group.MapGet("", ListAsync)
            .WithSummary("The approvals inbox")
            .WithDescription("Approval requests with the exact arguments each releases; status is pending (the default), approved, denied, timed_out or all.")
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

    private static async Task<IResult> ListAsync(string? status, ApprovalService approvals, HttpContext http)
    {
        if (!TryParseStatus(status ?? "pending", out var filter))
        {
            return Problems.BadRequest($"'{status}' is not an approval status; use pending, approved, denied, timed_out or all.");
        }

        var list = await approvals.ListAsync(filter, http.RequestAborted);
        return TypedResults.Ok(list.Select(View).ToList());
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

    private static async Task<IResult> GetAsync(string id, ApprovalService approvals, HttpContext http) =>
        await approvals.GetAsync(id, http.RequestAborted) is { } request
            ? TypedResults.Ok(View(request))
            : Problems.NotFound($"No approval request '{id}' exists.");

    private static async Task<IResult> DecideAsync(string id, HttpContext http, ApprovalService approvals)
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

        try
        {
            var decided = await approvals.DecideAsync(id, http.User.ToPrincipal(), approve, body.Comment, CancellationToken.None);
            return TypedResults.Ok(View(decided));
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

    private static ApprovalView View(ApprovalRequest r) => new(
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
        StatusName(r.Status),
        r.DecidedBy,
        r.DecidedAt,
        r.Comment);

    private sealed record DecisionRequest(bool? Approve, string? Comment);
}
