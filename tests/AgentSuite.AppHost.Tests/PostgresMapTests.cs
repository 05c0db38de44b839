// GetEnvironmentVariableValuesAsync reads the publisher's view of a resource's environment without starting anything;
// its replacement (ExecutionConfigurationBuilder) wants an execution context this test has no use for.
#pragma warning disable CS0618

using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.AppHost.Tests;

/// <summary>
/// The map with the parameter <c>postgres-connection</c> and <c>AgentSuite:ApiReplicas</c>, read as the publisher would
/// write it (no process starts): the Api is switched to PostgreSQL, runs as replicas and keeps the shared tool servers.
/// </summary>
public sealed class PostgresMapTests
{
    [Fact]
    public async Task PostgresConnectionSwitchesTheApiToPostgresAndRunsTheReplicasAskedFor()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(
            ["Parameters:postgres-connection=Host=127.0.0.1;Port=1;Database=unused;Username=postgres", "AgentSuite:ApiReplicas=2"]);
        var api = appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == "api");
        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.Equal(("Postgres", "{postgres-connection.value}"), (environment["Storage__Provider"], environment["ConnectionStrings__Governance"]));
        Assert.True(Assert.Single(appHost.Resources.OfType<ParameterResource>(), p => p.Name == "postgres-connection").Secret);
        // One anchor key for every replica, so each checks the anchors the others publish: 44 base64 characters, 33 bytes.
        Assert.Equal("{audit-anchor-key.value}", environment["Governance__Audit__Anchor__Key"]);
        var anchorKey = Assert.Single(appHost.Resources.OfType<ParameterResource>(), p => p.Name == "audit-anchor-key");
        Assert.True(anchorKey.Secret);
        Assert.True(Convert.FromBase64String(await anchorKey.GetValueAsync(default) ?? "").Length >= 32);
        Assert.Equal(2, api.GetReplicaCount());
        // One server for each listed http tool server, shared by the replicas over HTTP: no replica starts it as its own.
        Assert.All(ToolServersFile.HttpServers, server =>
        {
            Assert.Equal($"{{{server.Name}.bindings.http.url}}/mcp", environment[$"Mcp__Servers__{server.Name}__Url"]);
            Assert.Equal(1, appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == server.Name).GetReplicaCount());
        });
    }

    [Fact]
    public async Task WithoutTheParameterTheApiKeepsItsSqliteFileAndOneProcess()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>([]);
        var api = appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == "api");
        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.DoesNotContain("Storage__Provider", environment.Keys);
        Assert.DoesNotContain("ConnectionStrings__Governance", environment.Keys);
        Assert.DoesNotContain(appHost.Resources, r => r.Name is "postgres-connection" or "audit-anchor-key");
        Assert.Equal(1, api.GetReplicaCount());
    }

    [Fact]
    public async Task SeveralReplicasWithoutPostgresAreRefusedNamingTheParameter()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(["AgentSuite:ApiReplicas=2"]));

        Assert.Contains("postgres-connection", Innermost(refused).Message, StringComparison.Ordinal);
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
