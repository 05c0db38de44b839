using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSuite.McpHosting;

/// <summary>Healthy when the plugin's data file (if it has one) answers a query.</summary>
internal sealed class DataFileHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<PluginDatabase>() is not { } database)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no data file"));
        }

        try
        {
            using var connection = database.Open();
            PluginDatabase.Execute(connection, "SELECT 1;");
            return Task.FromResult(HealthCheckResult.Healthy(database.Path));
        }
        catch (SqliteException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"data file {database.Path} does not answer", e));
        }
    }
}
