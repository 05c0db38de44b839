using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>
/// The real pipeline with the default filters and real SQLite stores in a temporary file, plus helpers to make runs
/// and call tools the way an agent loop does.
/// </summary>
public sealed class GovernanceHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public GovernanceHarness(Action<GovernanceOptions>? configure = null, Func<IServiceProvider, IAuditStore>? audit = null, IConfiguration? configuration = null, Action<IServiceCollection>? overrideServices = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Folder, "governance.db");
        var services = new ServiceCollection();
        services.AddLogging();
        if (configuration is not null)
        {
            services.AddGovernance(configuration);
        }
        else
        {
            services.AddGovernance(o =>
            {
                o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
                o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] };
                o.Approval.PollInterval = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(o);
            });
        }

        services.AddSqliteGovernanceStores($"Data Source={DatabasePath}");
        if (audit is not null)
        {
            services.AddSingleton(audit);
        }

        overrideServices?.Invoke(services);

        _services = services.BuildServiceProvider();
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public IServiceProvider Services => _services;

    public GovernedToolFactory Tools => _services.GetRequiredService<GovernedToolFactory>();

    public GovernancePipeline Pipeline => _services.GetRequiredService<GovernancePipeline>();

    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();

    public ApprovalService Approvals => _services.GetRequiredService<ApprovalService>();

    public KillSwitchService KillSwitch => _services.GetRequiredService<KillSwitchService>();

    public ToolPinService Pins => _services.GetRequiredService<ToolPinService>();

    public GovernancePolicyProvider Policies => _services.GetRequiredService<GovernancePolicyProvider>();

    public static Principal Alice { get; } = new("alice", Roles.User);

    public static Principal Bob { get; } = new("bob", Roles.User, Roles.Approver);

    public static Principal Admin { get; } = new("root", Roles.Admin);

    public static AgentRunContext Run(string agent = "billing", Principal? principal = null, string conversation = "conv-1", string run = "run-1", IGovernanceEventSink? events = null) =>
        new(conversation, run, agent, principal ?? Alice) { Events = events };

    public GovernedTool Tool(AIFunction function, string server = "billing", ToolAnnotations? annotations = null) =>
        Tools.Create(function, server, annotations);

    public static Task<ToolCallOutcome> CallAsync(GovernedTool tool, AgentRunContext run, string toolCallId, IDictionary<string, object?>? arguments = null, CancellationToken cancellationToken = default) =>
        tool.InvokeGovernedAsync(new AIFunctionArguments(arguments ?? new Dictionary<string, object?>()).WithToolCall(run, toolCallId), cancellationToken).AsTask();

    public async Task<List<AuditRecord>> AuditAsync(string? conversation = null)
    {
        var records = new List<AuditRecord>();
        await foreach (var r in Audit.ReadAsync(new AuditQuery(conversation)))
        {
            records.Add(r);
        }

        return records;
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection on another thread; the temp folder is cleaned by the OS.
        }
    }
}
