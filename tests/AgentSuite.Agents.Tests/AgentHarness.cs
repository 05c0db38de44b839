using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Mcp.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The agent runtime wired as the app wires it: the prompts/ agents of the repository, governance on real SQLite, an MCP
/// "billing" server served in memory, and a scripted model.
/// </summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));

    public AgentHarness(ScriptedChatClient model, Action<GovernanceOptions>? governance = null, int maxIterations = 8, string? promptsFolder = null, int maxHandOffDepth = 3)
    {
        Servers.Serve("billing", BillingTools);
        Servers.Serve("policy", () => []);
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mcp:Servers:billing:Command"] = "in-memory",
            ["Mcp:Servers:policy:Command"] = "in-memory",
            ["Agents:PromptsFolder"] = promptsFolder ?? Path.Combine(Repository.Root, "prompts"),
            ["Agents:MaximumHandOffDepth"] = maxHandOffDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agents:ToolLoop:MaximumIterationsPerRequest"] = maxIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _folder });
        services.AddGovernance(o =>
        {
            o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] };
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
            o.Approval.PollInterval = TimeSpan.FromMilliseconds(50);
            governance?.Invoke(o);
        });
        services.AddSqliteGovernanceStores($"Data Source={Path.Combine(_folder, "governance.db")}");
        services.AddGovernedMcp(configuration.GetSection("Mcp"));
        services.AddSingleton<AgentSuite.Mcp.IMcpTransportFactory>(Servers);
        services.AddGovernedAgents(configuration.GetSection("Agents"));
        services.AddSingleton<IChatClient>(model);
        _services = services.BuildServiceProvider();
    }

    public InMemoryMcpServers Servers { get; } = new();

    public int Refunds;

    public IServiceProvider Services => _services;

    public AgentRunner Runner => _services.GetRequiredService<AgentRunner>();

    public ConversationService Conversations => _services.GetRequiredService<ConversationService>();

    public static AgentRunContext Run(IGovernanceEventSink? events = null) =>
        new("conv-1", "run-1", "coordinator", new Principal("alice", Roles.User)) { Events = events };

    public Task<AgentRunResult> AskAsync(string text, IGovernanceEventSink? events = null) =>
        Runner.RunAsync("coordinator", Run(events) , [new ChatMessage(ChatRole.User, text)]);

    public async Task<List<AuditEntry>> AuditAsync()
    {
        var all = new List<AuditEntry>();
        await foreach (var r in _services.GetRequiredService<IAuditStore>().ReadAsync(new AuditQuery()))
        {
            all.Add(r.Entry);
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Servers.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner if a handle is still closing.
        }
    }

    private IEnumerable<McpServerTool> BillingTools() =>
    [
        McpServerTool.Create(
            (string invoice_id) => new { invoice = invoice_id, charges = new[] { new { id = "CH-1", amount = 49.00m }, new { id = "CH-2", amount = 49.00m } } },
            new McpServerToolCreateOptions { Name = "get_invoice", Description = "Reads an invoice.", ReadOnly = true }),
        McpServerTool.Create(
            (string invoice_id, string charge_id, decimal amount, string idempotency_key) =>
            {
                if (amount > 49m)
                {
                    throw new McpException($"Refund of {amount} exceeds the refundable 49.00 on {charge_id}.");
                }

                return new { refundId = $"rf_{Interlocked.Increment(ref Refunds)}", invoice = invoice_id, charge = charge_id, amount };
            },
            new McpServerToolCreateOptions { Name = "issue_refund", Description = "Refunds a charge.", Destructive = true }),
    ];
}
