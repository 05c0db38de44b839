using AgentSuite.Agents;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Models;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The customer-service desk as the app wires it (as tests/AgentSuite.Agents.Tests/DeskHarness.cs does): the
/// repository's prompts/ agents, the mock model on the benchmark's script, each tool server project of plugins/toolservers.json its own
/// process over stdio on a fresh SQLite file, governance on a real SQLite file with the sample domain's policy. Two
/// additions time the turn (<see cref="TurnClock"/>): the model is wrapped in <see cref="TimedChatClient"/> and an
/// innermost <see cref="InnerCallTimer"/> filter times each tool's own run. It runs as a host whose hosted services
/// start as the app's do, and touches the agents only through <c>AddGovernedAgents</c> and
/// <see cref="ConversationService"/>, so it measures whichever agent runtime those wire up.
/// </summary>
internal sealed class DeskFixture : IAsyncDisposable
{
    public static readonly Principal Alice = new("alice", Roles.User);

    private readonly IHost _host;

    private DeskFixture(IHost host) => _host = host;

    public ConversationService Conversations => _host.Services.GetRequiredService<ConversationService>();

    public TurnClock Clock => _host.Services.GetRequiredService<TurnClock>();

    public IAuditStore Audit => _host.Services.GetRequiredService<IAuditStore>();

    public static async Task<DeskFixture> StartAsync(TempFolder folder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agents:PromptsFolder"] = Path.Combine(RepositoryRoot.Path, "prompts"),
        };
        foreach (var (server, plugin) in ToolServersFile.Projects)
        {
            settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
            settings[$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin);
            settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
            settings[$"Mcp:Servers:{server}:Arguments:2"] = folder.NewFile($"{server}-turn");
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true }));
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddLogging();
        services.AddGovernance(o =>
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
        services.AddGovernedMcp(configuration.GetSection("Mcp"));
        services.AddGovernedAgents(configuration.GetSection("Agents"));
        services.AddMockChatClient(Path.Combine(AppContext.BaseDirectory, "turn-script.yaml"));

        // Timing only, registered last: the filter is the innermost, and this IChatClient is the provider the runtime's model
        // pipeline is built on, so it sees every model call however the runtime asks.
        services.AddSingleton<TurnClock>();
        services.AddSingleton<IToolCallFilter, InnerCallTimer>();
        services.AddSingleton<IChatClient>(sp => new TimedChatClient(sp.GetRequiredService<MockChatClient>(), sp.GetRequiredService<TurnClock>()));

        var host = builder.Build();
        try
        {
            // What the app does at start: the MCP servers are connected by a hosted service. A server the turn needs that
            // did not start fails the first turn's check, with the denial or failure in its message.
            await host.StartAsync();
            return new DeskFixture(host);
        }
        catch
        {
            await DisposeAsync(host);
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            await DisposeAsync(_host);
        }
    }

    // Asynchronously: services such as the MCP catalog, whose disposal ends the server processes, are only async-disposable.
    private static ValueTask DisposeAsync(IHost host) => host is IAsyncDisposable asyncHost ? asyncHost.DisposeAsync() : DisposeSync(host);

    private static ValueTask DisposeSync(IHost host)
    {
        host.Dispose();
        return ValueTask.CompletedTask;
    }
}
