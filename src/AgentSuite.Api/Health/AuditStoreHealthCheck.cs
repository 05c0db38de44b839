using AgentSuite.Governance.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSuite.Api.Health;

/// <summary>
/// The audit store answers a read: without it no tool call may run (fail closed), so it is unhealthy. A chain that does
/// not match its anchor (a truncated tail, a rebuilt chain, a forged anchor) still records, so it is degraded, with the reason.
/// </summary>
internal sealed class AuditStoreHealthCheck(IAuditStore audit, AuditAnchorService anchor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in audit.ReadAsync(new AuditQuery(Limit: 1), cancellationToken))
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The audit store cannot be read, so every tool call is refused.", ex);
        }

        try
        {
            return await anchor.CheckHeadAsync(cancellationToken) is { } problem
                ? HealthCheckResult.Degraded($"The audit trail cannot be vouched for: {problem}.")
                : HealthCheckResult.Healthy("The audit store answers, and its head matches the anchor.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded("The audit chain could not be compared with its anchor.", ex);
        }
    }
}
