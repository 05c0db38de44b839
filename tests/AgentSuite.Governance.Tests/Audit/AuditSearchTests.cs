using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Governance.Tests.Audit;

/// <summary>Exported slices of a real SQLite audit checked by <see cref="AuditSliceVerifier"/>; the filters are in the storage contract suite.</summary>
public sealed class AuditSearchTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteGovernanceDatabase _db;
    private readonly SqliteAuditStore _store;

    public AuditSearchTests()
    {
        _db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "audit.db")}" });
        _store = new SqliteAuditStore(_db);
    }

    [Fact]
    public async Task AnExportedSliceVerifiesFromAnyStartAndAChangedOrMissingLineDoesNot()
    {
        for (var i = 0; i < 8; i++)
        {
            await _store.AppendAsync(new AuditEntry("tool.decision", Start.AddSeconds(i))
            {
                Tool = "billing/issue_refund",
                Decision = "allowed",
                Data = JsonSerializer.Deserialize<JsonElement>($$"""{"amount": 150.00, "n": {{i}}, "note": "é \"quoted\""}"""),
            });
        }

        var lines = (await ReadAsync(new AuditQuery(AfterSeq: 3))).Select(Line).ToList();

        var whole = await AuditSliceVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)));
        var changed = await AuditSliceVerifier.VerifyAsync(new StringReader(string.Join('\n', lines.Select(l => l.Replace("\"allowed\"", "\"approved\"", StringComparison.Ordinal)))));
        var missing = await AuditSliceVerifier.VerifyAsync(new StringReader(string.Join('\n', lines.Where((_, i) => i != 2))));
        var gapsAllowed = await AuditSliceVerifier.VerifyAsync(new StringReader(string.Join('\n', lines.Where((_, i) => i != 2))), allowGaps: true);

        Assert.True(whole.Ok, whole.Problem);
        Assert.Equal((5L, 0L), (whole.Count, whole.Gaps));
        Assert.Equal((false, 4L), (changed.Ok, changed.FirstBadSeq));
        Assert.Equal((false, 7L), (missing.Ok, missing.FirstBadSeq));
        Assert.Contains("entries 6 to 6 are missing", missing.Problem, StringComparison.Ordinal);
        Assert.True(gapsAllowed.Ok, gapsAllowed.Problem);
        Assert.Equal(1, gapsAllowed.Gaps);
    }

    public void Dispose()
    {
        _store.Dispose();
        _db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Line(AuditRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AuditJsonLine.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task<List<AuditRecord>> ReadAsync(AuditQuery query)
    {
        var records = new List<AuditRecord>();
        await foreach (var r in _store.ReadAsync(query))
        {
            records.Add(r);
        }

        return records;
    }
}
