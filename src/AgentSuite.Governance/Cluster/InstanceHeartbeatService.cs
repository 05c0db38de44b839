using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Cluster;

/// <summary>
/// Reports this instance to the shared <see cref="IInstanceRegistry"/> at start and every heartbeat interval, with the
/// policy version in force, so every instance's status view lists it. A store that cannot be reached is logged once
/// per outage, not at every beat.
/// </summary>
public sealed class InstanceHeartbeatService(
    IInstanceRegistry registry,
    InstanceIdentity instance,
    GovernancePolicyProvider policies,
    TimeProvider time,
    ILogger<InstanceHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        using var timer = new PeriodicTimer(IInstanceRegistry.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    var policy = policies.Version;
                    await registry.HeartbeatAsync(new InstanceHeartbeat(instance.Name, instance.StartedAt, instance.Version, policy.Version, policy.LoadedAt), stoppingToken);
                    if (failing)
                    {
                        logger.LogInformation("Instance {Instance} reports to the instance registry again", instance.Name);
                        failing = false;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        logger.LogWarning(ex, "Instance {Instance} could not report to the instance registry; other instances will show it as gone after {GoneAfter} unless it recovers", instance.Name, IInstanceRegistry.GoneAfter);
                        failing = true;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The Api is stopping.
        }
    }
}
