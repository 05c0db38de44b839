using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The product end to end in process: a user's message to the coordinator, the demo mock script, the three real plugin
/// servers over real stdio, governance on real SQLite. The audit must tell who did what.
/// </summary>
public sealed class RefundScenarioTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly Principal Alice = new("alice", Roles.User);
    private readonly TempDataFile _billing = new();
    private readonly TempDataFile _crm = new();
    private readonly TempDataFile _policy = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public RefundScenarioTests()
    {
        Directory.CreateDirectory(_folder);
        var settings = new Dictionary<string, string?> { ["Agents:PromptsFolder"] = Path.Combine(Repository.Root, "prompts") };
        foreach (var (server, plugin, data) in new[] { ("billing", BuiltPlugins.Billing, _billing), ("crm", BuiltPlugins.Crm, _crm), ("policy", BuiltPlugins.Policy, _policy) })
        {
            settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
            settings[$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin);
            settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
            settings[$"Mcp:Servers:{server}:Arguments:2"] = data.Path;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _folder });
        services.AddAgentSuiteGovernance(o =>
        {
            o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] };
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*", "policy/*"] };
            o.Agents["support"] = new AgentPolicyOptions { Allow = ["crm/*", "policy/*"] };
            o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/issue_refund", Rule = "amount > 0 and amount <= 500" });
            o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100" });
        });
        services.AddSqliteGovernanceStores($"Data Source={Path.Combine(_folder, "governance.db")}");
        services.AddAgentSuiteMcp(configuration.GetSection("Mcp"));
        services.AddAgentSuiteAgents(configuration.GetSection("Agents"));
        services.AddMockChatClient();
        _services = services.BuildServiceProvider();
    }

    private ConversationService Conversations => _services.GetRequiredService<ConversationService>();

    [Fact]
    public async Task DuplicateChargeIsRefundedOnceAndTheAuditSaysWhoDidWhat()
    {
        var conversation = await Conversations.CreateAsync(Alice);

        var turn = await Conversations.SendAsync(conversation.Id, Alice, "I was charged twice on INV-1002, please refund it").WaitAsync(Patience);
        var again = await Conversations.SendAsync(conversation.Id, Alice, "I was charged twice on INV-1002, please refund it").WaitAsync(Patience);

        Assert.Contains("refund", turn.Reply, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("49", turn.Reply, StringComparison.Ordinal);
        Assert.Equal(1, Count(_billing.Path, "SELECT COUNT(*) FROM refunds WHERE invoice_id = 'INV-1002'"));

        var trail = await TrailAsync(turn.RunId);
        Assert.Equal(
        [
            ("coordinator", "agents/ask_billing", "allowed"),
            ("billing", "billing/get_invoice", "allowed"),
            ("billing", "billing/get_invoice", "completed"),
            ("billing", "policy/check_refund", "allowed"),
            ("billing", "policy/check_refund", "completed"),
            ("billing", "billing/issue_refund", "allowed"),
            ("billing", "billing/issue_refund", "completed"),
            ("coordinator", "agents/ask_billing", "completed"),
        ],
        trail.Select(e => (e.Agent!, e.Tool!, e.Decision!)));
        Assert.All(trail, e => Assert.Equal(("alice", conversation.Id), (e.Principal, e.ConversationId)));
        Assert.True((await AuditVerifier.VerifyAsync(_services.GetRequiredService<IAuditStore>())).Ok);

        // Asking again in the same conversation is answered, but the refund is not paid twice.
        Assert.NotEqual(turn.RunId, again.RunId);
        Assert.Equal(1, Count(_billing.Path, "SELECT COUNT(*) FROM refunds WHERE invoice_id = 'INV-1002'"));
    }

    [Fact]
    public async Task CaseRequestIsRoutedToSupportWhichOpensACase()
    {
        var conversation = await Conversations.CreateAsync(Alice);

        var turn = await Conversations.SendAsync(conversation.Id, Alice, "open a case about my login").WaitAsync(Patience);

        Assert.Matches(@"CASE-\d+", turn.Reply);
        Assert.Equal(1, Count(_crm.Path, "SELECT COUNT(*) FROM cases WHERE subject LIKE '%login%'"));
        var trail = await TrailAsync(turn.RunId);
        Assert.Contains(trail, e => (e.Agent, e.Tool, e.Decision) == ("coordinator", "agents/ask_support", "allowed"));
        Assert.Contains(trail, e => (e.Agent, e.Tool, e.Decision) == ("support", "crm/create_case", "completed"));
        Assert.DoesNotContain(trail, e => e.Tool!.StartsWith("billing/", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var data in new[] { _billing, _crm, _policy })
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

    private async Task<List<AuditEntry>> TrailAsync(string runId)
    {
        var trail = new List<AuditEntry>();
        await foreach (var r in _services.GetRequiredService<IAuditStore>().ReadAsync(new AuditQuery()))
        {
            if (r.Entry.RunId == runId && r.Entry.Kind.StartsWith("tool.", StringComparison.Ordinal))
            {
                trail.Add(r.Entry);
            }
        }

        return trail;
    }

    private static long Count(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
