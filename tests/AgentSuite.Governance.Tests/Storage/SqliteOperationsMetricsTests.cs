using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Operations;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>
/// The SQLite operations figures over a long audit in a real file: the counts found through the seq range and grouped in
/// SQL equal a plain count of every entry, for windows at the start, middle and end of the history and beyond it.
/// </summary>
public sealed class SqliteOperationsMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Stages = ["kill-switch", "allow-list", "arguments", "limits", "approval"];
    private static readonly string[] Tools = ["billing/issue_refund", "billing/get_invoice", "crm/create_case"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteGovernanceDatabase _db;

    public SqliteOperationsMetricsTests() =>
        _db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "agentsuite.db")}" });

    [Fact]
    public async Task CountsFoundThroughTheSeqRangeEqualACountOfEveryEntry()
    {
        // Three days, an entry every 90 s or so; one in seven stamped up to two minutes before the entry appended ahead
        // of it, as an entry stamped just before a busy commit is.
        var random = new Random(14);
        var entries = new List<AuditEntry>();
        using (var audit = new SqliteAuditStore(_db))
        {
            for (var i = 0; i < 2900; i++)
            {
                var at = Start.AddSeconds((i * 90) - (i % 7 == 0 ? random.Next(0, 120) : 0));
                var entry = (i % 5) switch
                {
                    0 => new AuditEntry("approval.requested", at) { Tool = Tools[0] },
                    1 => new AuditEntry("tool.decision", at) { Tool = Tools[0], Decision = "denied", Data = Stage(Stages[random.Next(Stages.Length)]) },
                    2 => new AuditEntry("tool.failed", at) { Tool = Tools[random.Next(Tools.Length)], Decision = random.Next(4) == 0 ? "cancelled" : "failed" },
                    3 => new AuditEntry("tool.decision", at) { Tool = Tools[1], Decision = "allowed" },
                    _ => new AuditEntry("tool.completed", at) { Tool = Tools[1], Decision = "completed" },
                };
                entries.Add(entry);
                await audit.AppendAsync(entry);
            }
        }

        var metrics = new SqliteOperationsMetrics(_db);
        foreach (var end in new[] { Start.AddMinutes(30), Start.AddHours(20), Start.AddDays(2).AddMinutes(7), Start.AddDays(3), Start.AddDays(5), Start.AddDays(-1) })
        {
            foreach (var window in new[] { MetricsWindow.Hour(end), MetricsWindow.Day(end) })
            {
                var figures = await metrics.ReadAsync(window);
                var inWindow = entries.Where(e => e.At >= window.From && e.At < window.To).ToList();
                var label = $"{window.Name} to {end:O}";

                var requested = inWindow.Where(e => e.Kind == "approval.requested").ToList();
                Assert.True(Buckets(window, requested).SequenceEqual(figures.Approvals.Buckets), label);
                Assert.Equal(requested.Count, figures.Approvals.Requested);
                var denied = inWindow.Where(e => e.Decision == "denied").ToList();
                Assert.True(Buckets(window, denied).SequenceEqual(figures.Denials.Buckets), label);
                Assert.Equal(Group(denied, e => e.Data!.Value.GetProperty("stage").GetString()!), figures.Denials.ByStage);
                var failed = inWindow.Where(e => e.Kind == "tool.failed" && e.Decision == "failed").ToList();
                Assert.True(Buckets(window, failed).SequenceEqual(figures.Failures.Buckets), label);
                Assert.Equal(Group(failed, e => e.Tool!), figures.Failures.ByTool);
                Assert.Equal(0, figures.Turns.Count);
                Assert.Null(figures.Turns.P95Ms);
            }
        }
    }

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static JsonElement Stage(string stage) => JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["stage"] = stage });

    private static long[] Buckets(MetricsWindow window, IEnumerable<AuditEntry> entries)
    {
        var buckets = new long[window.BucketCount];
        foreach (var e in entries)
        {
            buckets[(int)((e.At - window.From).TotalSeconds / window.BucketSeconds)]++;
        }

        return buckets;
    }

    private static Dictionary<string, long> Group(IEnumerable<AuditEntry> entries, Func<AuditEntry, string> key) =>
        entries.GroupBy(key).ToDictionary(g => g.Key, g => (long)g.Count());
}
