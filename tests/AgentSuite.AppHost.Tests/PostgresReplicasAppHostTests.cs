using AgentSuite.Plugins.Tests.Support;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.AppHost.Tests.Support;
using AgentSuite.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.AppHost.Tests;

/// <summary>
/// The AppHost with <c>postgres-connection</c> (a fresh database of the test's own throwaway PostgreSQL cluster) and
/// <c>AgentSuite:ApiReplicas=2</c>, started through Aspire.Hosting.Testing: two Api processes, each on the port Aspire
/// allocated for it behind the api endpoint's proxy, both healthy and each seeing the other in its status.
/// </summary>
[Collection(AppHostRuns.Name)]
public sealed class PostgresReplicasAppHostTests
{
    [Fact]
    public async Task TwoApiReplicasOnOnePostgresDatabaseStartOnTheirOwnPortsAndEachSeesTheOther()
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("apphost");
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-apphost-tests", Guid.NewGuid().ToString("N"));
        var run = new RunProcesses();
        var launched = new List<ResourceProcess>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        Environment.SetEnvironmentVariable(RunProcesses.Variable, run.Marker);
        try
        {
            await using (var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(
                [$"AgentSuite:DataFolder={dataFolder}", "ASPIRE_TESTING_DISABLE_HTTP_CLIENT=true", $"Parameters:postgres-connection={database}", "AgentSuite:ApiReplicas=2"], timeout.Token))
            {
                appHost.Services.AddHttpClient();
                foreach (var project in appHost.Resources.OfType<ProjectResource>())
                {
                    appHost.CreateResourceBuilder(project).WithEnvironment(RunProcesses.Variable, run.Marker);
                }

                await using var app = await appHost.BuildAsync(timeout.Token);
                await app.StartAsync(timeout.Token);
                var replicas = await HealthyReplicasAsync(app, "api", 2, timeout.Token);
                // Each tool server the AppHost runs as its own resource (the one list), and the model.
                foreach (var plugin in ToolServersFile.HttpServers.Select(s => s.Name).Append("model"))
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(plugin, timeout.Token);
                    launched.Add(ResourceProcess.Of(app, plugin));
                }

                launched.AddRange(replicas.Select(r => r.Process));
                var addresses = replicas.Select(r => r.Address).ToList();
                Assert.Equal(2, addresses.Distinct().Count());
                Assert.DoesNotContain(addresses, a => a.Port == 5080);
                var names = new List<string>();
                foreach (var address in addresses)
                {
                    using var ops = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
                    ops.DefaultRequestHeaders.Add("X-User", "ops");
                    Assert.Equal("Healthy", (await ops.GetJsonAsync("/health")).GetProperty("status").GetString());
                    var instances = await InstancesSeeingBothAsync(ops, timeout.Token);
                    names.Add(instances.Single(i => i.GetProperty("this").GetBoolean()).GetProperty("name").GetString()!);
                }

                Assert.Equal(2, names.Distinct().Count());
            }

            await Leftovers.AssertNoneAsync(launched, run, TimeSpan.FromSeconds(30));
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunProcesses.Variable, null);
            if (Directory.Exists(dataFolder))
            {
                Directory.Delete(dataFolder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> replicas of <paramref name="resource"/> are healthy; returns each one's own
    /// address (its <c>ASPNETCORE_URLS</c>, the target port behind the proxy) and process.
    /// </summary>
    private static async Task<List<(Uri Address, ResourceProcess Process)>> HealthyReplicasAsync(DistributedApplication app, string resource, int count, CancellationToken cancellationToken)
    {
        var healthy = new Dictionary<string, (Uri, ResourceProcess)>(StringComparer.Ordinal);
        await foreach (var e in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (e.Resource.Name != resource || e.Snapshot.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy || healthy.ContainsKey(e.ResourceId))
            {
                continue;
            }

            var urls = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value;
            var pid = e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
            if (urls is null || pid is null)
            {
                continue;
            }

            using var process = System.Diagnostics.Process.GetProcessById(Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture));
            healthy[e.ResourceId] = (new Uri(urls.Split(';')[0]), new ResourceProcess(e.ResourceId, process.Id, process.StartTime));
            if (healthy.Count == count)
            {
                return [.. healthy.Values];
            }
        }

        throw new OperationCanceledException($"Fewer than {count} replicas of '{resource}' became healthy.");
    }

    /// <summary>The instances an Api's status lists, once both replicas have reported in (each heartbeats after its start).</summary>
    private static async Task<List<JsonElement>> InstancesSeeingBothAsync(HttpClient ops, CancellationToken cancellationToken)
    {
        while (true)
        {
            var instances = (await ops.GetJsonAsync("/api/status")).GetProperty("instances").EnumerateArray().Where(i => !i.GetProperty("gone").GetBoolean()).ToList();
            if (instances.Count == 2)
            {
                return instances;
            }

            Assert.True(instances.Count < 2, $"More instances than replicas: {string.Join(", ", instances)}");
            await Task.Delay(250, cancellationToken);
        }
    }
}
