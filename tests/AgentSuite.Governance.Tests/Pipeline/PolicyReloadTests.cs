using AgentSuite.Api.Tests.Support;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentSuite.Governance.Tests.Pipeline;

public sealed class PolicyReloadTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));

    public PolicyReloadTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task EditedConfigurationFileTakesEffectWithoutRestart()
    {
        var file = Path.Combine(_folder, "governance.json");
        await File.WriteAllTextAsync(file, Policy("billing/*"));
        var configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: true).Build();
        using var h = new GovernanceHarness(configuration: configuration.GetSection("Governance"));
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);
        var args = CountingTool.Args(("invoice_id", "INV-1"));

        Assert.Equal(ToolCallStatus.Completed, (await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", args)).Status);

        await File.WriteAllTextAsync(file, Policy("crm/*"));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var status = ToolCallStatus.Completed;
        for (var i = 2; status != ToolCallStatus.Denied && DateTime.UtcNow < deadline; i++)
        {
            await Task.Delay(100);
            status = (await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-" + i), "c" + i, args)).Status;
        }

        Assert.Equal(ToolCallStatus.Denied, status);
    }

    [Fact]
    public async Task UnreadableConfigurationValueDeniesEveryCallIsLoggedOnceAndKeepsTheTimeItCameIntoForce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Governance:Agents:billing:Allow:0"] = "billing/*",
            ["Governance:Limits:PerToolPerMinute"] = "ten",
        }).Build();
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        using var h = new GovernanceHarness(configuration: configuration.GetSection("Governance"), overrideServices: services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton<ILoggerProvider>(logs);
        });
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", CountingTool.Args(("invoice_id", "INV-1")));
        var first = h.Policies.Version;
        time.Advance(TimeSpan.FromMinutes(5));
        var again = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-2"), "c2", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal((ToolCallStatus.Denied, "policy"), (outcome.Status, outcome.Stage));
        Assert.Contains("PerToolPerMinute", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((ToolCallStatus.Denied, "policy"), (again.Status, again.Stage));
        Assert.Equal(0, counter.Calls);
        Assert.Equal(first, h.Policies.Version);
        Assert.Single(logs.Lines, l => l.Contains("cannot be read", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Policy(string allow) => $$"""
        { "Governance": { "Agents": { "billing": { "Allow": [ "{{allow}}" ] } } } }
        """;
}
