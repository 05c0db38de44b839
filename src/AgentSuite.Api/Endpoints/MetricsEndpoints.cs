using System.Globalization;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Documentation;
using AgentSuite.Api.Status;
using AgentSuite.Governance;
using AgentSuite.Governance.Operations;

namespace AgentSuite.Api.Endpoints;

/// <summary><c>GET /api/status/metrics</c>: the operations figures of the last hour and day, from the audit and the store.</summary>
internal static class MetricsEndpoints
{
    private static readonly DateTimeOffset LatestEnd = new(9998, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status/metrics", ReadAsync)
            .RequireRole(Roles.Admin)
            .WithTags("Status")
            .WithSummary("Turns, approvals, denials and failures over the last hour and day")
            .WithDescription("Computed from the audit chain and the turn store, so the figures survive restarts and agree with GET /api/audit. " +
                "Two windows, hour (12 buckets of 300 s) and day (24 of 3600 s), ending now or at the optional at (an ISO 8601 instant). " +
                "Without at, the answer is shared for 15 s (generatedAt says when it was made); with at it is always computed. " +
                "Turns count in the window they ended; approvals, denials and failures in the window of their audit entry (docs/observability.md defines each figure).")
            .Produces<OperationsReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesCallerProblems();
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IOperationsMetrics metrics, MetricsReportCache latest, TimeProvider time, string? at)
    {
        if (at is null)
        {
            return TypedResults.Ok(await latest.LatestAsync(http.RequestAborted));
        }

        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            return Problems.BadRequest($"at '{at}' is not an ISO 8601 date or instant, such as 2026-12-06T09:00:00Z; leave it out for now.");
        }

        // A day before and a few minutes either side of the end must still be instants.
        if (end < DateTimeOffset.UnixEpoch || end > LatestEnd)
        {
            return Problems.BadRequest($"at '{at}' is out of range; give an instant between 1970 and 9998, or leave it out for now.");
        }

        return TypedResults.Ok(await metrics.ReadReportAsync(end.ToUniversalTime(), time.GetUtcNow(), http.RequestAborted));
    }
}
