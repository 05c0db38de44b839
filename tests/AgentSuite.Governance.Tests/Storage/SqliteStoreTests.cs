using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Storage;

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
    public async Task ApprovalRoundTripPreservesEveryField()
    {
        var store = new SqliteApprovalStore(_db);
        var decided = Request("a1", "call-1", T0) with
        {
            Status = ApprovalStatus.Approved,
            DecidedBy = "bob",
            DecidedAt = T0.AddMinutes(3),
            Comment = "ok \"quoted\" ünïcode",
        };
        var pending = Request("a2", "call-2", T0.AddSeconds(1));

        await store.CreateAsync(decided);
        await store.CreateAsync(pending);

        var loadedDecided = await store.GetAsync("a1");
        var loadedPending = await store.GetAsync("a2");
        AssertSameApproval(decided, loadedDecided);
        AssertSameApproval(pending, loadedPending);
        Assert.Equal(T0.UtcTicks, loadedDecided!.RequestedAt.UtcTicks);
        Assert.Null(loadedPending!.DecidedBy);
        Assert.Null(loadedPending.DecidedAt);
        Assert.Null(loadedPending.Comment);
        Assert.Null(await store.GetAsync("missing"));
    }

    [Fact]
    public async Task ApprovalResolvesOnlyOnce()
    {
        var store = new SqliteApprovalStore(_db);
        await store.CreateAsync(Request("a1", "call-1", T0));

        Assert.True(await store.TryResolveAsync("a1", ApprovalStatus.Denied, "alice", "too risky", T0.AddMinutes(1)));
        Assert.False(await store.TryResolveAsync("a1", ApprovalStatus.Approved, "bob", null, T0.AddMinutes(2)));
        Assert.False(await store.TryResolveAsync("missing", ApprovalStatus.Approved, "bob", null, T0));

        var resolved = await store.GetAsync("a1");
        Assert.Equal(ApprovalStatus.Denied, resolved!.Status);
        Assert.Equal("alice", resolved.DecidedBy);
        Assert.Equal("too risky", resolved.Comment);
        Assert.Equal(T0.AddMinutes(1), resolved.DecidedAt);
    }

    [Fact]
    public async Task ConcurrentResolversHaveExactlyOneWinner()
    {
        var store = new SqliteApprovalStore(_db);
        await store.CreateAsync(Request("a1", "call-1", T0));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            store.TryResolveAsync("a1", ApprovalStatus.Approved, $"approver-{i}", null, T0.AddSeconds(i)))));

        Assert.Single(results, won => won);
        var resolved = await store.GetAsync("a1");
        Assert.Equal(ApprovalStatus.Approved, resolved!.Status);
        Assert.StartsWith("approver-", resolved.DecidedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByToolCallReturnsOnlyThatCallOldestFirst()
    {
        var store = new SqliteApprovalStore(_db);
        await store.CreateAsync(Request("late", "call-1", T0.AddMinutes(5)));
        await store.CreateAsync(Request("other-call", "call-2", T0.AddMinutes(1)));
        await store.CreateAsync(Request("other-run", "call-1", T0.AddMinutes(2)) with { RunId = "run-2" });
        await store.CreateAsync(Request("early", "call-1", T0));

        var found = await store.FindByToolCallAsync("run-1", "call-1");

        Assert.Equal(["early", "late"], found.Select(r => r.Id));
        Assert.Empty(await store.FindByToolCallAsync("run-1", "call-9"));
    }

    [Fact]
    public async Task ListFiltersByStatusOldestFirst()
    {
        var store = new SqliteApprovalStore(_db);
        await store.CreateAsync(Request("p2", "c1", T0.AddMinutes(2)));
        await store.CreateAsync(Request("p1", "c2", T0.AddMinutes(1)));
        await store.CreateAsync(Request("d1", "c3", T0));
        Assert.True(await store.TryResolveAsync("d1", ApprovalStatus.Denied, "alice", null, T0.AddMinutes(3)));

        Assert.Equal(["p1", "p2"], (await store.ListAsync(ApprovalStatus.Pending)).Select(r => r.Id));
        Assert.Equal(["d1"], (await store.ListAsync(ApprovalStatus.Denied)).Select(r => r.Id));
        Assert.Empty(await store.ListAsync(ApprovalStatus.TimedOut));
        Assert.Equal(["d1", "p1", "p2"], (await store.ListAsync(null)).Select(r => r.Id));
    }

    [Fact]
    public async Task AConversationHoldsAnApprovalWhateverItsStatusAndOthersHoldNone()
    {
        var store = new SqliteApprovalStore(_db);
        await store.CreateAsync(Request("d1", "c1", T0));
        Assert.True(await store.TryResolveAsync("d1", ApprovalStatus.Denied, "bob", null, T0.AddMinutes(1)));

        Assert.True(await store.AnyInConversationAsync("conv-1"));
        Assert.False(await store.AnyInConversationAsync("conv-2"));
    }

    [Fact]
    public async Task ConcurrentClaimsHaveExactlyOneWinner()
    {
        var store = new SqliteIdempotencyStore(_db);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.TryClaimAsync(Claim("k1") with { ArgumentsHash = $"h{i}" }))));

        Assert.Single(results, r => r is null);
        var winner = await store.GetAsync("k1");
        Assert.NotNull(winner);
        Assert.Equal(IdempotencyState.Pending, winner.State);
        Assert.All(results.OfType<IdempotencyRecord>(), loser => Assert.Equal(winner, loser));
    }

    [Fact]
    public async Task ClaimAfterCompleteReturnsTheCompletedResult()
    {
        var store = new SqliteIdempotencyStore(_db);
        Assert.Null(await store.TryClaimAsync(Claim("k1")));
        await store.CompleteAsync("k1", """{"id":42}""", T0.AddMinutes(2));

        var existing = await store.TryClaimAsync(Claim("k1") with { ClaimedAt = T0.AddHours(1) });

        Assert.NotNull(existing);
        Assert.Equal(IdempotencyState.Completed, existing.State);
        Assert.Equal("""{"id":42}""", existing.ResultJson);
        Assert.Equal(T0.AddMinutes(2), existing.CompletedAt);
        Assert.Equal(T0, existing.ClaimedAt);
        Assert.Equal("tool/x", existing.Tool);
        Assert.Equal("hash", existing.ArgumentsHash);
    }

    [Fact]
    public async Task ReleaseDropsPendingClaimSoItCanBeClaimedAgain()
    {
        var store = new SqliteIdempotencyStore(_db);
        Assert.Null(await store.TryClaimAsync(Claim("k1")));
        Assert.NotNull(await store.TryClaimAsync(Claim("k1")));

        await store.ReleaseAsync("k1");

        Assert.Null(await store.GetAsync("k1"));
        Assert.Null(await store.TryClaimAsync(Claim("k1")));
    }

    [Fact]
    public async Task ReleaseKeepsCompletedAndUnknownRecords()
    {
        var store = new SqliteIdempotencyStore(_db);
        Assert.Null(await store.TryClaimAsync(Claim("done")));
        Assert.Null(await store.TryClaimAsync(Claim("lost")));
        await store.CompleteAsync("done", "[]", T0.AddMinutes(2));
        await store.MarkUnknownAsync("lost", "timed out after start");

        await store.ReleaseAsync("done");
        await store.ReleaseAsync("lost");

        Assert.Equal(IdempotencyState.Completed, (await store.TryClaimAsync(Claim("done")))?.State);
        Assert.Equal(IdempotencyState.Unknown, (await store.TryClaimAsync(Claim("lost")))?.State);
    }

    [Fact]
    public async Task MarkUnknownIsVisibleWithItsNote()
    {
        var store = new SqliteIdempotencyStore(_db);
        Assert.Null(await store.TryClaimAsync(Claim("k1")));

        await store.MarkUnknownAsync("k1", "connection reset after send");

        var record = await store.GetAsync("k1");
        Assert.Equal(IdempotencyState.Unknown, record!.State);
        Assert.Equal("connection reset after send", record.Note);
        Assert.Null(record.ResultJson);
    }

    [Fact]
    public async Task ToolPinsUpsertAndListByTool()
    {
        var store = new SqliteToolPinStore(_db);
        var observed = new ToolPin("srv/b", null, "h1", null, null, T0);
        await store.SaveAsync(observed);
        await store.SaveAsync(new ToolPin("srv/a", "h0", "h0", "admin", T0, T0));
        Assert.Equal(observed, await store.GetAsync("srv/b"));
        Assert.True((await store.GetAsync("srv/b"))!.IsBlocked);

        var approved = observed with { PinnedHash = "h1", ApprovedBy = "admin", ApprovedAt = T0.AddMinutes(5) };
        await store.SaveAsync(approved);

        Assert.Equal(approved, await store.GetAsync("srv/b"));
        Assert.False(approved.IsBlocked);
        Assert.Equal(["srv/a", "srv/b"], (await store.ListAsync()).Select(p => p.Tool));
        Assert.Null(await store.GetAsync("srv/missing"));
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
    public async Task KillSwitchesEngageReleaseAndLoadInScopeOrder()
    {
        var store = new SqliteKillSwitchStore(_db);
        Assert.Empty(await store.LoadEngagedAsync());

        await store.SetAsync("tool:srv/x", engaged: true, "ops", T0);
        await store.SetAsync("global", engaged: true, "ops", T0);
        await store.SetAsync("agent:a", engaged: true, "ops", T0);
        Assert.Equal(["agent:a", "global", "tool:srv/x"], await store.LoadEngagedAsync());

        await store.SetAsync("global", engaged: false, "ops", T0.AddMinutes(1));
        Assert.Equal(["agent:a", "tool:srv/x"], await store.LoadEngagedAsync());

        await store.SetAsync("global", engaged: true, "ops", T0.AddMinutes(2));
        Assert.Equal(["agent:a", "global", "tool:srv/x"], await store.LoadEngagedAsync());
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
