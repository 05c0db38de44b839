using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Governance.Tests.Audit;

/// <summary>
/// The verifier on the hash chain in a real SQLite file, tampered with by plain SQL as an attacker with file access would,
/// and SQLite's own sharing of one file. What every store must do is in tests/AgentSuite.Storage.Tests/Contract.
/// </summary>
public sealed class AuditChainTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteGovernanceDatabase _db;
    private readonly SqliteAuditStore _store;

    public AuditChainTests()
    {
        _db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "audit.db")}" });
        _store = new SqliteAuditStore(_db);
    }

    [Fact]
    public async Task EditedDataFailsAtItsSequenceNumber()
    {
        await AppendAsync(10);
        Sql("""UPDATE audit_log SET data = '{"amount":9000}' WHERE seq = 7""");

        await AssertFirstBadAsync(7, "edited");
    }

    [Fact]
    public async Task EditWithRecomputedHashFailsAtTheEditedEntry()
    {
        await AppendAsync(10);
        var records = await ReadAllAsync();
        var forged = records[4] with { Entry = records[4].Entry with { Reason = "nothing to see" } };
        var hash = AuditChain.ComputeHash(5, forged.Entry, forged.PrevHash);
        Sql($"UPDATE audit_log SET reason = 'nothing to see', hash = '{hash}' WHERE seq = 5");

        await AssertFirstBadAsync(5, "replaced");
    }

    [Fact]
    public async Task DeletedAndRenumberedEntryFailsAtTheGap()
    {
        await AppendAsync(10);
        Sql("DELETE FROM audit_log WHERE seq = 6; UPDATE audit_log SET seq = seq - 1 WHERE seq > 6");

        await AssertFirstBadAsync(6, "edited or moved");
    }

    [Fact]
    public async Task ReorderedEntriesFailAtTheFirstMovedOne()
    {
        await AppendAsync(10);
        // Swap the contents of 3 and 4, keeping each row's hashes with its content.
        Sql("UPDATE audit_log SET seq = -3 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -3");

        await AssertFirstBadAsync(3, "edited or moved");
    }

    [Fact]
    public async Task InsertedEntryWithForgedHashFailsAtTheInsertedOne()
    {
        await AppendAsync(10);
        Sql("UPDATE audit_log SET seq = seq + 100 WHERE seq > 4; UPDATE audit_log SET seq = seq - 99 WHERE seq > 100");
        Sql($"INSERT INTO audit_log (seq, at, kind, decision, prev_hash, hash) VALUES (5, '2026-01-01T00:00:00.0000000+00:00', 'tool.decision', 'allowed', '{(await ReadAllAsync())[3].Hash}', '{new string('a', 64)}')");

        await AssertFirstBadAsync(5, "edited or moved");
    }

    [Fact]
    public async Task InsertedEntryWithValidLinkFailsAtTheInsertedOne()
    {
        await AppendAsync(10);
        var before = await ReadAllAsync();
        var forged = new AuditEntry("tool.decision", DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) { Decision = "allowed", Tool = "billing/issue_refund" };
        var hash = AuditChain.ComputeHash(5, forged, before[3].Hash);
        Sql("UPDATE audit_log SET seq = seq + 100 WHERE seq > 4; UPDATE audit_log SET seq = seq - 99 WHERE seq > 100");
        Sql($"INSERT INTO audit_log (seq, at, kind, tool, decision, prev_hash, hash) VALUES (5, '{AuditChain.FormatTime(forged.At)}', 'tool.decision', 'billing/issue_refund', 'allowed', '{before[3].Hash}', '{hash}')");

        // The forged row is self-consistent; the real entry 5, pushed to 6, still verifies as 5 after entry 4.
        await AssertFirstBadAsync(5, "inserted");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoWritersOnOneFileKeepOneValidChain(bool sameProcess)
    {
        // Stores of one process share the database's write turn and never collide inside SQLite. A second database
        // object stands for a second process sharing the file: each store caches the head, collides, re-reads.
        using var otherProcess = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = _db.ConnectionString });
        using var other = new SqliteAuditStore(sameProcess ? _db : otherProcess);
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 200; i++) await _store.AppendAsync(Entry("a", i)); }),
            Task.Run(async () => { for (var i = 0; i < 200; i++) await other.AppendAsync(Entry("b", i)); }));

        var result = await AuditVerifier.VerifyAsync(_store);

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(400, result.Count);
    }

    [Fact]
    public async Task ConversationQueryIsCompleteWhateverTheIndexHasCaughtUpWith()
    {
        using var other = new SqliteAuditStore(_db);
        for (var i = 0; i < 150; i++)
        {
            await _store.AppendAsync(Entry($"conv-{i % 3}", i));
            await other.AppendAsync(Entry($"conv-{i % 5}", 1000 + i));
        }

        var all = await ReadAllAsync();
        foreach (var conversation in new[] { "conv-0", "conv-1", "conv-4", "conv-none" })
        {
            var expected = all.Where(r => r.Entry.ConversationId == conversation).Select(r => r.Seq).ToList();
            var actual = new List<long>();
            await foreach (var r in _store.ReadAsync(new AuditQuery(conversation)))
            {
                Assert.Equal(conversation, r.Entry.ConversationId);
                actual.Add(r.Seq);
            }

            Assert.Equal(expected, actual);
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static AuditEntry Entry(string conversation, int i) => new("tool.decision", DateTimeOffset.UtcNow)
    {
        ConversationId = conversation,
        RunId = "run-1",
        Agent = "billing",
        Principal = "alice",
        Tool = "billing/issue_refund",
        ToolCallId = $"call-{i}",
        Decision = "allowed",
        Data = JsonSerializer.SerializeToElement(new { i, amount = 10.5m }),
    };

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _store.AppendAsync(Entry("conv", i));
        }
    }

    private async Task<List<AuditRecord>> ReadAllAsync()
    {
        var all = new List<AuditRecord>();
        await foreach (var r in _store.ReadAsync(new AuditQuery()))
        {
            all.Add(r);
        }

        return all;
    }

    private async Task AssertFirstBadAsync(long seq, string problem)
    {
        var result = await AuditVerifier.VerifyAsync(_store);

        Assert.False(result.Ok);
        Assert.Equal(seq, result.FirstBadSeq);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
    }

    private void Sql(string sql)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
