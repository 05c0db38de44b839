using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Mcp;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace AgentSuite.Agents.Tests;

public enum PluginTransport
{
    Stdio,
    Http,
}

/// <summary>
/// The customer-service desk as the app wires it, in process: the repository's prompts/ agents, the demo mock script,
/// the three real plugin servers (each its own process, over stdio or Streamable HTTP, each on a fresh SQLite file),
/// governance on a real SQLite file. The policy is the sample domain's: refunds above 100 wait for a person.
/// </summary>
public sealed class DeskHarness : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly List<HttpPlugin> _httpPlugins = [];
    private readonly List<TempDataFile> _stdioData = [];
    private ServiceProvider? _services;
    private Func<ServiceProvider>? _build;

    private DeskHarness()
    {
    }

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static readonly Principal Alice = new("alice", Roles.User);

    public static readonly Principal Bob = new("bob", Roles.User, Roles.Approver);

    public PluginTransport Transport { get; private set; }

    /// <summary>The SQLite file of each plugin server (billing, crm, policy): the servers' own record of what happened.</summary>
    public IReadOnlyDictionary<string, string> DataFiles { get; private set; } = new Dictionary<string, string>();

    public IServiceProvider Services => _services!;

    public ConversationService Conversations => Services.GetRequiredService<ConversationService>();

    public Governance.Approvals.ApprovalService Approvals => Services.GetRequiredService<Governance.Approvals.ApprovalService>();

    public McpToolCatalog Catalog => Services.GetRequiredService<McpToolCatalog>();

    public static async Task<DeskHarness> StartAsync(PluginTransport transport, Action<GovernanceOptions>? governance = null, IDictionary<string, string?>? settings = null, Action<DeskHarness, IServiceCollection>? services = null)
    {
        var desk = new DeskHarness { Transport = transport };
        try
        {
            await desk.InitializeAsync(governance, settings, services);
            return desk;
        }
        catch
        {
            await desk.DisposeAsync();
            throw;
        }
    }

    /// <summary>Refunds the Billing server has paid on an invoice, read from its own SQLite file.</summary>
    public long RefundsPaid(string invoiceId) =>
        Count(DataFiles["billing"], $"SELECT COUNT(*) FROM refunds WHERE invoice_id = '{invoiceId}'");

    public long Count(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every audit entry in sequence order.</summary>
    public async Task<List<AuditEntry>> AuditAsync(string? runId = null)
    {
        var all = new List<AuditEntry>();
        await foreach (var r in Services.GetRequiredService<IAuditStore>().ReadAsync(new AuditQuery()))
        {
            if (runId is null || r.Entry.RunId == runId)
            {
                all.Add(r.Entry);
            }
        }

        return all;
    }

    public async Task<bool> AuditVerifiesAsync() => (await AuditVerifier.VerifyAsync(Services.GetRequiredService<IAuditStore>())).Ok;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        foreach (var plugin in _httpPlugins)
        {
            await plugin.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var data in _stdioData)
        {
            data.Delete();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner if a handle is still closing.
        }
    }

    private async Task InitializeAsync(Action<GovernanceOptions>? governance, IDictionary<string, string?>? extra, Action<DeskHarness, IServiceCollection>? replace)
    {
        Directory.CreateDirectory(_folder);
        var settings = new Dictionary<string, string?>
        {
            ["Agents:PromptsFolder"] = Path.Combine(Repository.Root, "prompts"),
        };
        var plugins = new[] { ("billing", BuiltPlugins.Billing), ("crm", BuiltPlugins.Crm), ("policy", BuiltPlugins.Policy) };
        var dataFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Transport == PluginTransport.Http)
        {
            var started = await Task.WhenAll(plugins.Select(p => HttpPlugin.StartAsync(p.Item2)));
            _httpPlugins.AddRange(started);
            for (var i = 0; i < plugins.Length; i++)
            {
                settings[$"Mcp:Servers:{plugins[i].Item1}:Url"] = started[i].McpUri.ToString();
                dataFiles[plugins[i].Item1] = started[i].Data.Path;
            }
        }
        else
        {
            foreach (var (server, plugin) in plugins)
            {
                var data = new TempDataFile();
                _stdioData.Add(data);
                dataFiles[server] = data.Path;
                settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
                settings[$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin);
                settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
                settings[$"Mcp:Servers:{server}:Arguments:2"] = data.Path;
            }
        }

        DataFiles = dataFiles;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _build = () => Build(settings, governance, replace);
        _services = _build();
    }

    /// <summary>
    /// Stops this "process" (its services are disposed; turns must have been stopped with the token they were given) and
    /// starts another on the same governance database and plugin data, as a restarted Api would.
    /// </summary>
    public async Task RestartAsync()
    {
        await _services!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _services = _build!();
    }

    private ServiceProvider Build(Dictionary<string, string?> settings, Action<GovernanceOptions>? governance, Action<DeskHarness, IServiceCollection>? replace)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _folder });
        services.AddGovernance(o =>
        {
            o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] };
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
            o.Agents["support"] = new AgentPolicyOptions { Allow = ["crm/*", "policy/*"] };
            o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/issue_refund", Rule = "amount > 0 and amount <= 500" });
            o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = "Refunds above 100 need a second person." });
            o.Approval.PollInterval = TimeSpan.FromMilliseconds(100);
            governance?.Invoke(o);
        });
        services.AddSqliteGovernanceStores($"Data Source={Path.Combine(_folder, "governance.db")}");
        services.AddGovernedMcp(configuration.GetSection("Mcp"));
        services.AddGovernedAgents(configuration.GetSection("Agents"));
        services.AddMockChatClient();
        replace?.Invoke(this, services);
        return services.BuildServiceProvider();
    }
}
