using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Governance.Tests.Audit;

/// <summary>Audit queries with every filter in a real SQLite file, and exported slices checked by <see cref="AuditSliceVerifier"/>.</summary>
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
    public async Task EveryFilterAndTheirCombinationSelectInSqlWithoutShortPages()
    {
        string[] tools = ["billing/issue_refund", "billing/get_invoice", "crm/get_customer", "odd/[x]", "odd/y"];
        for (var i = 0; i < 60; i++)
        {
            await _store.AppendAsync(new AuditEntry(i % 2 == 0 ? "tool.decision" : "tool.completed", Start.AddMinutes(i).ToOffset(TimeSpan.FromHours(2)))
            {
                ConversationId = $"conv-{i % 3}",
                Agent = i % 4 == 0 ? "billing" : "crm",
                Principal = i % 5 == 0 ? "bob" : "alice",
                Tool = tools[i % tools.Length],
                Decision = i % 3 == 0 ? "denied" : "allowed",
            });
        }

        var all = await ReadAsync(new AuditQuery());
        var cases = new (AuditQuery Query, Func<AuditEntry, bool> Matches)[]
        {
            (new AuditQuery("conv-1"), e => e.ConversationId == "conv-1"),
            (new AuditQuery { Agent = "billing" }, e => e.Agent == "billing"),
            (new AuditQuery { Kind = "tool.completed" }, e => e.Kind == "tool.completed"),
            (new AuditQuery { Decision = "denied" }, e => e.Decision == "denied"),
            (new AuditQuery { Principal = "bob" }, e => e.Principal == "bob"),
            (new AuditQuery { Tool = ToolPattern.Parse("billing/*") }, e => e.Tool!.StartsWith("billing/", StringComparison.Ordinal)),
            (new AuditQuery { Tool = ToolPattern.Parse("*/get_*") }, e => e.Tool!.Contains("/get_", StringComparison.Ordinal)),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/[x]") }, e => e.Tool == "odd/[x]"),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/?") }, e => e.Tool == "odd/y"),
            (new AuditQuery { From = Start.AddMinutes(10), To = Start.AddMinutes(20) }, e => e.At >= Start.AddMinutes(10) && e.At < Start.AddMinutes(20)),
            (new AuditQuery("conv-0") { Agent = "billing", Decision = "denied", Tool = ToolPattern.Parse("billing/*"), Principal = "bob" },
                e => e.ConversationId == "conv-0" && e.Agent == "billing" && e.Decision == "denied" && e.Tool!.StartsWith("billing/", StringComparison.Ordinal) && e.Principal == "bob"),
        };

        foreach (var (query, matches) in cases)
        {
            var expected = all.Where(r => matches(r.Entry)).Select(r => r.Seq).ToList();
            Assert.Equal(expected, (await ReadAsync(query)).Select(r => r.Seq));

            // Pages of two, each after the last seq of the one before, give the same entries: none short, none skipped.
            var paged = new List<long>();
            for (long after = 0; ; )
            {
                var page = await ReadAsync(query with { AfterSeq = after, Limit = 2 });
                paged.AddRange(page.Select(r => r.Seq));
                if (page.Count < 2)
                {
                    break;
                }

                after = page[^1].Seq;
            }

            Assert.Equal(expected, paged);
        }
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
