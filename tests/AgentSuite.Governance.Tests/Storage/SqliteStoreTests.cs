using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>
/// What is the SQLite stores' own: files made by earlier builds, reopening a file, refusing an in-memory database. What
/// every store promises is the contract suite in tests/AgentSuite.Storage.Tests/Contract, run on SQLite and PostgreSQL.
/// </summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteGovernanceDatabase _db;

    public SqliteStoreTests()
    {
        _db = OpenDatabase();
    }

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "gov.db")}";

    public void Dispose()
    {
        // Pooled connections keep the file open; Windows cannot delete it until they are closed.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task APinKeepsItsDefinitionsThroughAnUpgradeEvenInAFileMadeBeforeDefinitionsWereKept()
    {
        // A file whose tool_pins table predates the definition columns, with a tool pinned then.
        var path = Path.Combine(_folder, "old-pins.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE tool_pins (tool TEXT PRIMARY KEY, pinned_hash TEXT, observed_hash TEXT NOT NULL, approved_by TEXT, approved_at TEXT, observed_at TEXT NOT NULL);
                INSERT INTO tool_pins VALUES ('srv/a', 'h0', 'h0', 'ops', '2025-03-01T07:30:15.1230000+00:00', '2025-03-01T07:30:15.1230000+00:00');
                """;
            create.ExecuteNonQuery();
        }

        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" });
        var store = new SqliteToolPinStore(db);
        var upgraded = await store.GetAsync("srv/a");
        Assert.Equal(("h0", (string?)null, (string?)null), (upgraded!.PinnedHash, upgraded.PinnedDefinition, upgraded.ObservedDefinition));

        // The approved definition is seen again (and so known), then a changed one: the approved one is kept beside it.
        await store.SaveAsync(upgraded with { PinnedDefinition = """{"name":"a"}""", ObservedDefinition = """{"name":"a"}""" });
        var changed = (await store.GetAsync("srv/a"))! with { ObservedHash = "h1", ObservedAt = T0, ObservedDefinition = """{"name":"a","description":"new"}""" };
        await store.SaveAsync(changed);

        Assert.Equal(changed, await store.GetAsync("srv/a"));
        Assert.Equal("""{"name":"a"}""", (await store.GetAsync("srv/a"))!.PinnedDefinition);
        Assert.Equal(["srv/a"], (await store.ListAsync()).Where(p => p.ObservedDefinition!.Contains("new", StringComparison.Ordinal)).Select(p => p.Tool));
    }

    [Fact]
    public async Task AKillSwitchKeepsWhoEngagedItWhenAndWhyEvenInAFileMadeBeforeReasonsWereKept()
    {
        // A file whose kill_switches table predates the reason column, with a switch engaged then.
        var path = Path.Combine(_folder, "old.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE kill_switches (scope TEXT PRIMARY KEY, engaged INTEGER NOT NULL, changed_by TEXT NOT NULL, changed_at TEXT NOT NULL);
                INSERT INTO kill_switches VALUES ('agent:a', 1, 'ops', '2025-03-01T07:30:15.1230000+00:00');
                """;
            create.ExecuteNonQuery();
        }

        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" });
        var store = new SqliteKillSwitchStore(db);
        await ((IKillSwitchStore)store).SetAsync("global", engaged: true, "bob", T0, "refunds look wrong");

        var changes = await ((IKillSwitchStore)store).LoadEngagedChangesAsync();
        Assert.Equal(["agent:a", "global"], changes.Select(c => c.Scope));
        Assert.Equal(("ops", (string?)null), (changes[0].ChangedBy, changes[0].Reason));
        Assert.Equal(("bob", (DateTimeOffset?)T0, "refunds look wrong"), (changes[1].ChangedBy, changes[1].ChangedAt, changes[1].Reason));
    }

    [Fact]
    public async Task AnApprovalOrIdempotencyRecordFromAFileMadeBeforeContextWasKeptStillReads()
    {
        // Tables as an earlier build made them: no request, agent path or idempotency key; no completion time.
        var path = Path.Combine(_folder, "old-approvals.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE approvals (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, run_id TEXT NOT NULL, tool_call_id TEXT NOT NULL,
                    agent TEXT NOT NULL, tool TEXT NOT NULL, arguments TEXT NOT NULL, arguments_hash TEXT NOT NULL, requested_by TEXT NOT NULL,
                    requested_at TEXT NOT NULL, expires_at TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, decided_by TEXT,
                    decided_at TEXT, comment TEXT);
                INSERT INTO approvals VALUES ('a0', 'conv-0', 'run-0', 'call-0', 'billing', 'billing/issue_refund', '{}', 'h', 'alice',
                    '2025-03-01T07:30:15.1230000+00:00', '2025-03-01T07:40:15.1230000+00:00', 'amount > 100', 'Pending', NULL, NULL, NULL);
                CREATE TABLE idempotency (key TEXT PRIMARY KEY, tool TEXT NOT NULL, arguments_hash TEXT NOT NULL, state TEXT NOT NULL,
                    claimed_at TEXT NOT NULL, result_json TEXT, note TEXT);
                INSERT INTO idempotency VALUES ('k0', 'billing/issue_refund', 'h', 'Completed', '2025-03-01T07:30:15.1230000+00:00', '{}', NULL);
                """;
            create.ExecuteNonQuery();
        }

        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" });

        var before = await new SqliteApprovalStore(db).GetAsync("a0");
        Assert.NotNull(before);
        Assert.Null(before.Request);
        Assert.Equal(["billing"], before.AgentPath);
        Assert.Null(before.IdempotencyKey);
        var completed = await new SqliteIdempotencyStore(db).GetAsync("k0");
        Assert.Equal((IdempotencyState.Completed, (DateTimeOffset?)null), (completed!.State, completed.CompletedAt));

        var now = Request("a1", "call-1", T0);
        await new SqliteApprovalStore(db).CreateAsync(now);
        AssertSameApproval(now, await new SqliteApprovalStore(db).GetAsync("a1"));
    }

    [Fact]
    public async Task DataSurvivesReopeningTheFile()
    {
        await new SqliteApprovalStore(_db).CreateAsync(Request("a1", "call-1", T0));
        Assert.Null(await new SqliteIdempotencyStore(_db).TryClaimAsync(Claim("k1")));
        await new SqliteIdempotencyStore(_db).CompleteAsync("k1", "{}", T0.AddMinutes(2));
        await new SqliteToolPinStore(_db).SaveAsync(new ToolPin("srv/a", "h", "h", "admin", T0, T0));
        await new SqliteKillSwitchStore(_db).SetAsync("global", engaged: true, "ops", T0);
        SqliteConnection.ClearAllPools();

        var reopened = OpenDatabase();

        AssertSameApproval(Request("a1", "call-1", T0), await new SqliteApprovalStore(reopened).GetAsync("a1"));
        Assert.Equal(IdempotencyState.Completed, (await new SqliteIdempotencyStore(reopened).GetAsync("k1"))?.State);
        Assert.Equal("h", (await new SqliteToolPinStore(reopened).GetAsync("srv/a"))?.PinnedHash);
        Assert.Equal(["global"], await new SqliteKillSwitchStore(reopened).LoadEngagedAsync());
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=gov;Mode=Memory;Cache=Shared")]
    [InlineData("")]
    public void InMemoryDatabaseIsRefused(string connectionString) =>
        Assert.Throws<ArgumentException>(() => new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = connectionString }));

    [Fact]
    public void ServiceCollectionResolvesEveryStoreAsSingleton()
    {
        using var provider = new ServiceCollection().AddSqliteGovernanceStores(ConnectionString).BuildServiceProvider();

        Assert.IsType<SqliteAuditStore>(provider.GetRequiredService<IAuditStore>());
        Assert.Same(provider.GetRequiredService<SqliteAuditStore>(), provider.GetRequiredService<IAuditStore>());
        Assert.IsType<SqliteApprovalStore>(provider.GetRequiredService<IApprovalStore>());
        Assert.IsType<SqliteIdempotencyStore>(provider.GetRequiredService<IIdempotencyStore>());
        Assert.IsType<SqliteToolPinStore>(provider.GetRequiredService<IToolPinStore>());
        Assert.IsType<SqliteKillSwitchStore>(provider.GetRequiredService<IKillSwitchStore>());
        Assert.Same(provider.GetRequiredService<IApprovalStore>(), provider.GetRequiredService<IApprovalStore>());
        Assert.Same(provider.GetRequiredService<SqliteGovernanceDatabase>(), provider.GetRequiredService<SqliteGovernanceDatabase>());
    }

    private SqliteGovernanceDatabase OpenDatabase() =>
        new(new SqliteStorageOptions { ConnectionString = ConnectionString });

    private static ApprovalRequest Request(string id, string toolCallId, DateTimeOffset requestedAt) => new()
    {
        Id = id,
        ConversationId = "conv-1",
        RunId = "run-1",
        ToolCallId = toolCallId,
        Agent = "billing",
        Tool = "erp/pay_invoice",
        Arguments = """{"amount":150,"invoice_id":"INV-1"}""",
        ArgumentsHash = "abc123",
        RequestedBy = "alice",
        RequestedAt = requestedAt,
        ExpiresAt = requestedAt.AddMinutes(30),
        Reason = "amount > 100",
        Request = "I was charged twice on INV-1, please refund it",
        AgentPath = ["coordinator", "billing"],
        IdempotencyKey = "erp/pay_invoice#key:pay-INV-1",
    };

    /// <summary>Every field equal; the agent path (a list, compared by reference in record equality) by its items.</summary>
    private static void AssertSameApproval(ApprovalRequest expected, ApprovalRequest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.AgentPath, actual.AgentPath);
        Assert.Equal(expected, actual with { AgentPath = expected.AgentPath });
    }

    private static IdempotencyRecord Claim(string key) =>
        new(key, "tool/x", "hash", IdempotencyState.Pending, T0, null, null);
}
