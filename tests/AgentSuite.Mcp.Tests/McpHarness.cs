using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace AgentSuite.Mcp.Tests;

/// <summary>Governance on real SQLite plus the MCP catalog, with a "billing" server served in memory.</summary>
public sealed class McpHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));

    /// <param name="realServers">
    /// <c>Mcp</c> settings for real servers (started by the app's own transport factory); null serves "billing" in memory.
    /// </param>
    public McpHarness(TimeSpan? callTimeout = null, Action<GovernanceOptions>? governance = null, IDictionary<string, string?>? realServers = null)
    {
        Servers.Serve("billing", () => BillingTools(Description));
        var settings = new Dictionary<string, string?>(realServers ?? new Dictionary<string, string?> { ["Mcp:Servers:billing:Command"] = "in-memory" })
        {
            ["Mcp:CallTimeout"] = (callTimeout ?? TimeSpan.FromSeconds(30)).ToString(),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovernance(o =>
        {
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
            governance?.Invoke(o);
        });
        services.AddSqliteGovernanceStores($"Data Source={Path.Combine(_folder, "governance.db")}");
        services.AddGovernedMcp(configuration.GetSection("Mcp"));
        if (realServers is null)
        {
            services.AddSingleton<IMcpTransportFactory>(Servers);
        }
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public InMemoryMcpServers Servers { get; } = new();

    /// <summary>The description the server gives issue_refund on its next connection (to simulate a changed definition).</summary>
    public string Description { get; set; } = "Refunds part of a charge.";

    public int Refunds;

    public McpToolCatalog Catalog => _services.GetRequiredService<McpToolCatalog>();

    public IServiceProvider Services => _services;

    public static AgentRunContext Run(string run = "run-1") => new("conv-1", run, "billing", new Principal("alice", Roles.User));

    public static Task<ToolCallOutcome> CallAsync(GovernedTool tool, string toolCallId, Dictionary<string, object?> arguments, string run = "run-1") =>
        tool.InvokeGovernedAsync(new AIFunctionArguments(arguments).WithToolCall(Run(run), toolCallId)).AsTask();

    public async Task<GovernedTool> ToolAsync(string name, string server = "billing") =>
        (await Catalog.GetToolsAsync(server)).Single(t => t.Descriptor.Identity.Tool == name);

    public async Task<List<AuditRecord>> AuditAsync()
    {
        var all = new List<AuditRecord>();
        await foreach (var r in _services.GetRequiredService<IAuditStore>().ReadAsync(new AuditQuery()))
        {
            all.Add(r);
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

    private IEnumerable<McpServerTool> BillingTools(string refundDescription) =>
    [
        McpServerTool.Create(
            (string invoice_id) => new { invoice = invoice_id, total = 98.00m, charges = new[] { 49.00m, 49.00m } },
            new McpServerToolCreateOptions { Name = "get_invoice", Description = "Reads an invoice.", ReadOnly = true }),
        McpServerTool.Create(
            (string invoice_id, decimal amount) =>
            {
                if (amount > 49m)
                {
                    throw new McpException($"Refund of {amount} exceeds the refundable 49.00 on {invoice_id}; refund at most 49.00.");
                }

                var n = Interlocked.Increment(ref Refunds);
                return new { refundId = $"rf_{n}", invoice = invoice_id, amount };
            },
            new McpServerToolCreateOptions { Name = "issue_refund", Description = refundDescription, Destructive = true }),
        McpServerTool.Create(
            async (string invoice_id, CancellationToken ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), ct);
                return invoice_id;
            },
            new McpServerToolCreateOptions { Name = "slow.export", Description = "Exports slowly.", Destructive = false }),
    ];
}
