// GetEnvironmentVariableValuesAsync reads the publisher's view of a resource's environment without starting anything;
// its replacement (ExecutionConfigurationBuilder) wants an execution context this test has no use for.
#pragma warning disable CS0618

namespace AgentSuite.AppHost.Tests;

/// <summary>
/// With <c>AgentSuite:RemoteBilling=true</c> the map runs billing as its own resource: a second Api serving the billing
/// agent over MCP, which the coordinator's Api reaches at its Aspire endpoint with a key holding the delegate role. The
/// map is read as the publisher would write it (no processes start), which keeps this test to a second.
/// </summary>
public sealed class RemoteBillingAppHostTests
{
    [Fact]
    public async Task RemoteBillingAddsABillingAgentApiAndPointsTheCoordinatorAtItsMcpEndpointWithTheDelegateKey()
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-apphost-tests", Guid.NewGuid().ToString("N"));
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(
            ["AgentSuite:RemoteBilling=true", $"AgentSuite:DataFolder={dataFolder}"]);
        var projects = appHost.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
        await using var plain = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>([$"AgentSuite:DataFolder={dataFolder}"]);

        // The usual map (whatever tool servers plugins/toolservers.json lists) plus the billing agent's own Api.
        Assert.Equal(
            plain.Resources.OfType<ProjectResource>().Select(r => r.Name).Append("billing-agent").Order(StringComparer.Ordinal),
            projects.Keys.Order(StringComparer.Ordinal));
        var api = await projects["api"].GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        var billingAgent = await projects["billing-agent"].GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.Equal("{billing-agent.bindings.http.url}/mcp", api["Agents__Remote__billing__Url"]);
        Assert.Equal("{billing-agent-delegate-key.value}", api["Agents__Remote__billing__ApiKey"]);
        Assert.Equal(
            ("coordinator", "{billing-agent-delegate-key.value}", "user", "delegate"),
            (billingAgent["Auth__Keys__0__Name"], billingAgent["Auth__Keys__0__Key"], billingAgent["Auth__Keys__0__Roles__0"], billingAgent["Auth__Keys__0__Roles__1"]));
        Assert.Equal("user", billingAgent["AgentServer__Agents__billing__Roles__0"]);

        // Its own data folder (and so its own billing.db, from its own plugin servers over stdio), the same model as the coordinator.
        Assert.Equal(Path.Combine(dataFolder, "billing-agent"), billingAgent["AgentSuite__DataFolder"]);
        Assert.DoesNotContain(billingAgent.Keys, k => k.StartsWith("Mcp__Servers__", StringComparison.Ordinal));
        Assert.Equal(api["Model__Endpoint"], billingAgent["Model__Endpoint"]);
    }

    [Fact]
    public async Task WithoutTheSettingBillingRunsInTheCoordinatorsApi()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>([]);

        var api = await appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == "api").GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.DoesNotContain(appHost.Resources, r => r.Name == "billing-agent");
        Assert.DoesNotContain(api.Keys, k => k.StartsWith("Agents__Remote__", StringComparison.Ordinal));
    }
}
