using AgentSuite.Governance.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSuite.Api.Health;

/// <summary>The audit store answers a read. Without it no tool call may run (fail closed), so it is unhealthy.</summary>
internal sealed class AuditStoreHealthCheck(IAuditStore audit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in audit.ReadAsync(new AuditQuery(Limit: 1), cancellationToken))
            {
            }

            return HealthCheckResult.Healthy("The audit store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The audit store cannot be read, so every tool call is refused.", ex);
        }
    }
}
