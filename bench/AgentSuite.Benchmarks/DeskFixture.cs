using AgentSuite.Agents;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Mcp;
using AgentSuite.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The customer-service desk as the app wires it (as tests/AgentSuite.Agents.Tests/DeskHarness.cs does): the
/// repository's prompts/ agents, the mock model on the benchmark's script, the three plugin servers each its own
/// process over stdio on a fresh SQLite file, governance on a real SQLite file with the sample domain's policy. Two
/// additions time the turn (<see cref="TurnClock"/>): the model is wrapped in <see cref="TimedChatClient"/> and an
/// innermost <see cref="InnerCallTimer"/> filter times each tool's own run.
/// </summary>
internal sealed class DeskFixture : IAsyncDisposable
{
    public static readonly Principal Alice = new("alice", Roles.User);

    private readonly ServiceProvider _services;

    private DeskFixture(ServiceProvider services) => _services = services;

    public ConversationService Conversations => _services.GetRequiredService<ConversationService>();

    public TurnClock Clock => _services.GetRequiredService<TurnClock>();

    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();

    public static async Task<DeskFixture> StartAsync(TempFolder folder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agents:PromptsFolder"] = Path.Combine(RepositoryRoot.Path, "prompts"),
        };
        foreach (var (server, plugin) in new[] { ("billing", BuiltPlugins.Billing), ("crm", BuiltPlugins.Crm), ("policy", BuiltPlugins.Policy) })
        {
            settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
            settings[$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin);
            settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
            settings[$"Mcp:Servers:{server}:Arguments:2"] = folder.NewFile($"{server}-turn");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = folder.Path });
        services.AddAgentSuiteGovernance(o =>
        {
            o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] };
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
            o.Agents["support"] = new AgentPolicyOptions { Allow = ["crm/*", "policy/*"] };
            o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/issue_refund", Rule = "amount > 0 and amount <= 500" });
            o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = "Refunds above 100 need a second person." });

            // Off (0): hundreds of identical turns a second are exactly what they exist to stop.
            o.Limits.PerConversationPerMinute = 0;
            o.Limits.PerToolPerMinute = 0;
            o.Limits.MaxIdenticalCallsPerRun = 0;
        });
        services.AddSqliteGovernanceStores(folder.NewDatabase("turn-governance"));
        services.AddAgentSuiteMcp(configuration.GetSection("Mcp"));
        services.AddAgentSuiteAgents(configuration.GetSection("Agents"));
        services.AddMockChatClient(Path.Combine(AppContext.BaseDirectory, "turn-script.yaml"));

        // Timing only; registered last, so the filter is the innermost and this IChatClient is the one resolved.
        services.AddSingleton<TurnClock>();
        services.AddSingleton<IToolCallFilter, InnerCallTimer>();
        services.AddSingleton<IChatClient>(sp => new TimedChatClient(sp.GetRequiredService<MockChatClient>(), sp.GetRequiredService<TurnClock>()));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            // What the app's hosted service does at start; then fail now, not mid-benchmark, if a server the turn uses is missing.
            var catalog = provider.GetRequiredService<McpToolCatalog>();
            await catalog.StartAsync();
            await catalog.GetToolsAsync(["billing", "policy"]);
            return new DeskFixture(provider);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many audit entries of <paramref name="kind"/> the governance store holds.</summary>
    public async Task<long> CountAuditAsync(string kind)
    {
        var count = 0L;
        await foreach (var record in Audit.ReadAsync(new AuditQuery()))
        {
            count += record.Entry.Kind == kind ? 1 : 0;
        }

        return count;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
