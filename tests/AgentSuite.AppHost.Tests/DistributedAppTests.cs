using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.AppHost.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.AppHost.Tests;

/// <summary>
/// The whole system as <c>dotnet run --project AppHost</c> starts it (DCP, every resource, their wiring), on ports
/// Aspire allocates so a developer's running app is left alone, with its data in a temp folder.
/// </summary>
[Collection(AppHostRuns.Name)]
public sealed class DistributedAppTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    // Each resource of the map, the program it runs, and the port the AppHost gives people (a test gets free ones): the
    // Api, the model, and each tool server of plugins/toolservers.json that is its own resource.
    private static readonly (string Name, string Program, int FixedPort)[] Resources =
    [
        .. new[] { ("api", "AgentSuite.Api", 5080), ("model", "AgentSuite.MockModelServer", 5090) }.Concat(ToolServersFile.HttpServers)
            .OrderBy(r => r.Item1, StringComparer.Ordinal),
    ];

    [Fact]
    public async Task RefundNeedingApprovalIsRefusedToItsRequesterApprovedByAnotherAndPaidOnce()
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-apphost-tests", Guid.NewGuid().ToString("N"));
        var run = new RunProcesses();
        var launched = new List<ResourceProcess>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        // DCP inherits the test process's environment; each resource is given the marker explicitly as well.
        Environment.SetEnvironmentVariable(RunProcesses.Variable, run.Marker);
        try
        {
            // The testing builder's own HTTP clients carry the standard resilience handler, which re-sends a POST and cuts a
            // request at 10 s; a turn is a POST that waits for a person, so the Api's clients here are plain ones.
            await using (var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(
                [$"AgentSuite:DataFolder={dataFolder}", "ASPIRE_TESTING_DISABLE_HTTP_CLIENT=true"], timeout.Token))
            {
                appHost.Services.AddHttpClient();
                foreach (var project in appHost.Resources.OfType<ProjectResource>())
                {
                    appHost.CreateResourceBuilder(project).WithEnvironment(RunProcesses.Variable, run.Marker);
                }

                // The processes of the map, one for each listed tool server among them (Aspire adds a hidden "-rebuilder"
                // helper beside each project).
                Assert.Equal(Resources.Select(r => r.Name), appHost.Resources.OfType<ProjectResource>().Select(r => r.Name).Order(StringComparer.Ordinal));
                await using var app = await appHost.BuildAsync(timeout.Token);
                await app.StartAsync(timeout.Token);
                foreach (var resource in Resources)
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, timeout.Token);
                    launched.Add(ResourceProcess.Of(app, resource.Name));
                    // Under the testing builder every proxy is on a free port, so a developer's running app is left alone.
                    Assert.NotEqual(resource.FixedPort, app.GetEndpoint(resource.Name, "http").Port);
                }

                Assert.Equal(Resources.Length, launched.Select(p => p.Pid).Distinct().Count());
                Assert.All(launched, p => Assert.True(p.IsRunning(), $"The process of '{p.Resource}' is not running: {p}"));
                if (OperatingSystem.IsLinux())
                {
                    AssertOneServerPerResource(run.Running(), launched);
                }

                await RefundThroughTheApiAsync(app, dataFolder);
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
    /// Exactly one process of the run is each resource's program, and it is the process DCP started for the resource
    /// or that process's child (DCP starts a project with <c>dotnet run</c>, which starts the program).
    /// </summary>
    private static void AssertOneServerPerResource(List<MarkedProcess> running, List<ResourceProcess> launched)
    {
        var all = string.Join('\n', running);
        foreach (var (name, program, _) in Resources)
        {
            var servers = running.Where(p => p.Runs(program)).ToList();
            Assert.True(servers.Count == 1, $"Expected one {program} process for '{name}', found {servers.Count} among:\n{all}");
            var started = launched.Single(p => p.Resource == name).Pid;
            Assert.True(servers[0].Pid == started || servers[0].ParentPid == started, $"'{name}' started {started}, but its {program} is {servers[0]}");
        }
    }

    private static async Task RefundThroughTheApiAsync(DistributedApplication app, string dataFolder)
    {
        using var alice = Client(app, "alice");
        using var bob = Client(app, "bob");

        // The Api reaches every listed tool server as the AppHost wired it (an http resource's URL, or its own stdio child).
        var mcp = (await alice.GetJsonAsync("/health")).GetProperty("checks").GetProperty("mcp");
        Assert.Equal(ToolServersFile.Names.Order(StringComparer.Ordinal), mcp.GetProperty("data").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var id = await alice.NewConversationAsync();
        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var pending = (await stream.ReadUntilAsync("approval.pending", TimeSpan.FromMinutes(3)))!.Value;
        var approvalId = Text(pending, "approvalId");

        var waiting = Assert.Single((await bob.GetJsonAsync("/api/approvals")).EnumerateArray());
        Assert.Equal((approvalId, "billing/issue_refund", "alice"), (Text(waiting, "id"), Text(waiting, "tool"), Text(waiting, "requestedBy")));
        Assert.Equal(150m, waiting.GetProperty("arguments").GetProperty("amount").GetDecimal());
        using (var own = await alice.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "mine" }))
        {
            await own.ProblemAsync(HttpStatusCode.Forbidden, "'alice' asked for this call and cannot also approve it");
        }

        var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
        Assert.Equal(("approved", "bob"), (Text(decided, "status"), Text(decided, "decidedBy")));
        var completed = (await stream.ReadUntilAsync("turn.completed", TimeSpan.FromMinutes(3)))!.Value;

        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", Text(completed, "text"));
        Assert.Equal([15000L], BillingData.RefundsOn(dataFolder, "CH-8"));
        var audit = (await alice.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        Assert.Single(audit, e => Text(e, "kind") == "tool.completed" && Text(e, "tool") == "billing/issue_refund");
        Assert.Contains(audit, e => Text(e, "kind") == "approval.resolved" && Text(e, "decision") == "approved" && Text(e, "principal") == "bob");
        var verify = await bob.GetJsonAsync("/api/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
    }

    /// <summary>A client of the Api's Aspire endpoint, naming its user as local demo mode expects.</summary>
    private static HttpClient Client(DistributedApplication app, string user)
    {
        var client = app.CreateHttpClient("api");
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
