using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Operations;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>The audit chain as every store keeps it: appends, reads with every filter, verification, and the operations figures drawn from it.</summary>
public abstract class AuditStoreContract : StoreContract
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private IAuditStore Audit => Backend.Get<IAuditStore>();

    [Fact]
    public async Task An_untouched_chain_verifies_with_its_count_and_head()
    {
        var appended = new List<AuditRecord>();
        for (var i = 0; i < 10; i++)
        {
            appended.Add(await Audit.AppendAsync(Entry("conv", i)));
        }

        var result = await AuditVerifier.VerifyAsync(Audit);

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(10, result.Count);
        Assert.Equal(appended[^1].Hash, result.HeadHash);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), appended.Select(r => r.Seq));
    }

    [Fact]
    public async Task An_empty_log_verifies()
    {
        var result = await AuditVerifier.VerifyAsync(Audit);

        Assert.Equal((true, 0L, AuditChain.Genesis), (result.Ok, result.Count, result.HeadHash));
    }

    [Fact]
    public async Task A_stored_entry_reads_back_exactly_with_the_hash_it_was_given()
    {
        var entry = Entry("conv", 42) with
        {
            At = new DateTimeOffset(2026, 12, 6, 10, 11, 12, TimeSpan.FromHours(2)).AddTicks(1234567),
            Reason = "a \"quoted\" reason – with ünïcode",
            Data = JsonSerializer.Deserialize<JsonElement>("""{"z": 1.50, "a": [3, "é"], "n": null}"""),
        };
        var appended = await Audit.AppendAsync(entry);

        var read = Assert.Single(await ReadAsync(new AuditQuery()));

        Assert.Equal((appended.Seq, appended.Hash, appended.PrevHash), (read.Seq, read.Hash, read.PrevHash));
        Assert.Equal(AuditChain.ComputeHash(read.Seq, read.Entry, read.PrevHash), read.Hash);
        Assert.Equal(entry.At, read.Entry.At);
        Assert.Equal(entry.Reason, read.Entry.Reason);
        Assert.Equal(AuditChain.CanonicalJson(1, entry), AuditChain.CanonicalJson(1, read.Entry));
    }

    [Fact]
    public async Task Concurrent_appenders_keep_one_gapless_chain_in_each_appenders_order()
    {
        var returned = new System.Collections.Concurrent.ConcurrentBag<AuditRecord>();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                returned.Add(await Audit.AppendAsync(Entry($"task-{t}", i)));
            }
        })));

        var result = await AuditVerifier.VerifyAsync(Audit);
        var records = await ReadAsync(new AuditQuery());

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(records.ToDictionary(r => r.Seq, r => r.Hash), returned.ToDictionary(r => r.Seq, r => r.Hash));
        Assert.All(Enumerable.Range(0, 32), t => Assert.Equal(
            Enumerable.Range(0, 25),
            records.Where(r => r.Entry.ConversationId == $"task-{t}").Select(r => r.Entry.Data!.Value.GetProperty("i").GetInt32())));
    }

    [Fact]
    public async Task Every_filter_and_their_combination_select_in_the_store_without_short_pages()
    {
        string[] tools = ["billing/issue_refund", "billing/get_invoice", "crm/get_customer", "odd/[x]", "odd/y", "odd/a%b_c"];
        for (var i = 0; i < 60; i++)
        {
            await Audit.AppendAsync(new AuditEntry(i % 2 == 0 ? "tool.decision" : "tool.completed", Start.AddMinutes(i).ToOffset(TimeSpan.FromHours(2)))
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
            (new AuditQuery { Tool = ToolPattern.Parse("Billing/*") }, _ => false),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/[x]") }, e => e.Tool == "odd/[x]"),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/?") }, e => e.Tool == "odd/y"),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/a%b_c") }, e => e.Tool == "odd/a%b_c"),
            (new AuditQuery { Tool = ToolPattern.Parse("odd/a_b%c") }, _ => false),
            (new AuditQuery { From = Start.AddMinutes(10), To = Start.AddMinutes(20) }, e => e.At >= Start.AddMinutes(10) && e.At < Start.AddMinutes(20)),
            (new AuditQuery { From = Start.AddMinutes(10).AddTicks(1) }, e => e.At > Start.AddMinutes(10)),
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
    public async Task An_entry_edited_in_the_database_fails_verification_at_its_seq()
    {
        for (var i = 0; i < 10; i++)
        {
            await Audit.AppendAsync(Entry("conv", i));
        }

        await RawSql.ExecuteAsync(Backend, "UPDATE audit_log SET decision = 'denied' WHERE seq = 4");
        var result = await AuditVerifier.VerifyAsync(Audit);

        Assert.False(result.Ok);
        Assert.Equal(4, result.FirstBadSeq);
        Assert.Contains("edited", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_deleted_from_the_database_fails_verification_at_the_gap()
    {
        for (var i = 0; i < 10; i++)
        {
            await Audit.AppendAsync(Entry("conv", i));
        }

        await RawSql.ExecuteAsync(Backend, "DELETE FROM audit_log WHERE seq = 6");
        var result = await AuditVerifier.VerifyAsync(Audit);

        Assert.Equal((false, 6L), (result.Ok, result.FirstBadSeq));
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_figures_count_the_windows_audit_entries_by_kind_stage_tool_and_bucket()
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 300; i++)
        {
            var at = Start.AddSeconds(i * 50);
            var entry = (i % 5) switch
            {
                0 => new AuditEntry("approval.requested", at) { Tool = "billing/issue_refund" },
                1 => new AuditEntry("tool.decision", at) { Tool = "billing/issue_refund", Decision = "denied", Data = JsonSerializer.SerializeToElement(new { stage = i % 3 == 0 ? "limits" : "approval" }) },
                2 => new AuditEntry("tool.failed", at) { Tool = i % 3 == 0 ? "crm/create_case" : "billing/get_invoice", Decision = i % 4 == 0 ? "cancelled" : "failed" },
                3 => new AuditEntry("tool.decision", at) { Tool = "billing/get_invoice", Decision = "allowed" },
                _ => new AuditEntry("tool.completed", at) { Tool = "billing/get_invoice", Decision = "completed" },
            };
            entries.Add(entry);
            await Audit.AppendAsync(entry);
        }

        var metrics = Backend.Get<IOperationsMetrics>();
        foreach (var window in new[] { MetricsWindow.Hour(Start.AddHours(2).AddMinutes(7)), MetricsWindow.Day(Start.AddHours(3)), MetricsWindow.Hour(Start.AddDays(-1)) })
        {
            var figures = await metrics.ReadAsync(window);
            var inWindow = entries.Where(e => e.At >= window.From && e.At < window.To).ToList();

            var requested = inWindow.Where(e => e.Kind == "approval.requested").ToList();
            Assert.Equal(Buckets(window, requested), figures.Approvals.Buckets);
            Assert.Equal(requested.Count, figures.Approvals.Requested);
            var denied = inWindow.Where(e => e.Decision == "denied").ToList();
            Assert.Equal(Buckets(window, denied), figures.Denials.Buckets);
            Assert.Equal(Group(denied, e => e.Data!.Value.GetProperty("stage").GetString()!), figures.Denials.ByStage);
            var failed = inWindow.Where(e => e.Kind == "tool.failed" && e.Decision == "failed").ToList();
            Assert.Equal(Buckets(window, failed), figures.Failures.Buckets);
            Assert.Equal(Group(failed, e => e.Tool!), figures.Failures.ByTool);
            Assert.Equal(0, figures.Turns.Count);
        }
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

    private async Task<List<AuditRecord>> ReadAsync(AuditQuery query)
    {
        var records = new List<AuditRecord>();
        await foreach (var r in Audit.ReadAsync(query))
        {
            records.Add(r);
        }

        return records;
    }
}
