using System.Globalization;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using AgentSuite.Governance.Audit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

/// <summary>The operator's path: a conversation found in the list, its audit narrowed to one tool, and that selection downloaded.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditExportPageTests(BrowserFixture browser, ITestOutputHelper output) : IDisposable
{
    private const string Refund = "I was charged twice on INV-1006, please refund it";
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";
    private const string Tool = "billing/issue_refund";

    private readonly string _folder = Directory.CreateTempSubdirectory("agentsuite-browser-export-").FullName;

    [Fact]
    public async Task OperatorFindsAlicesConversationFiltersTheAuditToTheRefundAndDownloadsAnExportThatVerifies()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(OperatorFindsAlicesConversationFiltersTheAuditToTheRefundAndDownloadsAnExportThatVerifies), output);
        await session.RunAsync(async () =>
        {
            // Alice's refund waits for a second person, who approves it; bob has a refund of his own.
            var alice = await session.OpenAsync("alice");
            await alice.SendAsync(Refund);
            await Expect(alice.Trail("approval.pending")).ToBeVisibleAsync();
            var approvalId = await alice.Trail("approval.pending").GetAttributeAsync("data-approval-id");
            using var bobApi = api.Client("bob");
            await bobApi.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "Duplicate confirmed" });
            await Expect(alice.LastReply).ToContainTextAsync("Refunded 150.00 USD");
            var bobs = await bobApi.NewConversationAsync();
            await bobApi.PostJsonAsync($"/api/conversations/{bobs}/messages", new { text = SmallRefund });

            // The operator lists everyone's conversations, then only alice's.
            var bob = await session.OpenAsync("bob");
            await bob.OpenTabAsync("conversations");
            var rows = bob.Page.Locator("#conversations-rows tr");
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(bob.Page.Locator($"#conversations-rows tr[data-conversation-id='{bobs}']")).ToContainTextAsync("finished");
            await bob.Page.Locator("#conversations-user").FillAsync("alice");
            await bob.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();
            await Expect(rows).ToHaveCountAsync(1);
            var row = rows.First;
            await Expect(row).ToHaveAttributeAsync("data-user", "alice");
            await Expect(row).ToContainTextAsync("finished");
            var conversation = await row.GetAttributeAsync("data-conversation-id");
            await bob.ScreenshotAsync("1-operator-finds-alices-conversation");

            // Its audit, narrowed to the refund tool: only that tool's entries of that conversation.
            await row.Locator("button.open-audit").ClickAsync();
            await Expect(bob.Page.Locator("[data-view='audit'] .content")).ToBeVisibleAsync();
            await Expect(bob.Page.Locator("#audit-conversation")).ToHaveValueAsync(conversation!);
            await Expect(bob.Page.Locator("#audit-timeline .entry[data-kind='tool.decision']").First).ToBeVisibleAsync();
            await bob.Page.Locator("#audit-tool").FillAsync(Tool);
            await bob.Page.Locator("#audit-picker button[type='submit']").ClickAsync();
            var expected = await bobApi.GetJsonAsync($"/api/audit?conversationId={conversation}&tool={Uri.EscapeDataString(Tool)}");
            Assert.True(expected.GetArrayLength() >= 4, expected.ToString());
            var entries = bob.Page.Locator("#audit-timeline .entry");
            await Expect(entries).ToHaveCountAsync(expected.GetArrayLength());
            Assert.All(await entries.Locator("code.tool").AllTextContentsAsync(), tool => Assert.Equal(Tool, tool));
            await Expect(bob.Page.Locator("#audit-timeline .entry[data-kind='approval.resolved']")).ToContainTextAsync("approved");
            await Expect(bob.Page.Locator("#verify")).ToContainTextAsync("Chain verified");
            await bob.ScreenshotAsync("2-audit-filtered-to-the-refund");

            // The download is that selection, every line with its seq and hashes, and each line is the chain's own entry.
            var download = await bob.Page.RunAndWaitForDownloadAsync(() => bob.Page.Locator("#audit-download").ClickAsync());
            Assert.Equal("audit.jsonl", download.SuggestedFilename);
            var file = Path.Combine(_folder, download.SuggestedFilename);
            await download.SaveAsAsync(file);
            await Expect(bob.Page.Locator("#audit-downloaded")).ToContainTextAsync($"Saved audit.jsonl: {expected.GetArrayLength()} entries");
            await bob.ScreenshotAsync("3-audit-downloaded");

            var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<JsonElement>(l)).ToList();
            Assert.Equal(expected.EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()), lines.Select(l => l.GetProperty("seq").GetInt64()));
            var chain = (await bobApi.GetJsonAsync("/api/audit?limit=1000")).EnumerateArray()
                .ToDictionary(e => e.GetProperty("seq").GetInt64(), e => e.GetProperty("hash").GetString());
            foreach (var line in lines)
            {
                Assert.Equal(conversation, line.GetProperty("conversationId").GetString());
                Assert.Equal(Tool, line.GetProperty("tool").GetString());
                Assert.False(string.IsNullOrEmpty(line.GetProperty("prevHash").GetString()));
                Assert.Equal(chain[line.GetProperty("seq").GetInt64()], line.GetProperty("hash").GetString());
            }

            // The check `agentsuite audit verify --file --allow-gaps` runs: each hash recomputed, consecutive entries linked.
            using var reader = File.OpenText(file);
            var report = await AuditSliceVerifier.VerifyAsync(reader, allowGaps: true);
            Assert.True(report.Ok, report.Problem);
            Assert.Equal(lines.Count, report.Count);

            // The same selection as CSV: a header and one row per entry.
            await bob.Page.Locator("#audit-format").SelectOptionAsync("csv");
            var csv = await bob.Page.RunAndWaitForDownloadAsync(() => bob.Page.Locator("#audit-download").ClickAsync());
            Assert.Equal("audit.csv", csv.SuggestedFilename);
            var csvFile = Path.Combine(_folder, csv.SuggestedFilename);
            await csv.SaveAsAsync(csvFile);
            var csvRows = (await File.ReadAllLinesAsync(csvFile)).Where(l => l.Length > 0).ToList();
            Assert.StartsWith("seq,at,kind,conversationId,", csvRows[0], StringComparison.Ordinal);
            Assert.Equal(lines.Select(l => l.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture) + ","), csvRows.Skip(1).Select(r => r[..(r.IndexOf(',', StringComparison.Ordinal) + 1)]));

            // Filters cleared: every entry of every conversation, ten to a page here, in seq order, each once.
            await bob.Page.Locator("#audit-timeline").EvaluateAsync("list => list.dataset.pageSize = '10'");
            await bob.Page.Locator("#audit-picker button[type='reset']").ClickAsync();
            await Expect(bob.Page.Locator("#audit-conversation")).ToHaveValueAsync("");
            await Expect(entries).ToHaveCountAsync(10);
            await Expect(bob.Page.Locator("#audit-count")).ToHaveTextAsync("10 entries; more match");
            var more = bob.Page.Locator("#audit-more");
            for (var shown = 10; shown <= chain.Count; shown += 10)
            {
                await Expect(entries).ToHaveCountAsync(shown);
                await more.ClickAsync();
            }

            await Expect(entries).ToHaveCountAsync(chain.Count);
            await Expect(more).ToBeHiddenAsync();
            var seqs = await entries.EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.seq))");
            Assert.Equal(chain.Keys.Order(), seqs);
            await Expect(bob.Page.Locator($"#audit-timeline .entry-meta code.conversation-id:text-is('{bobs}')").First).ToBeVisibleAsync();
            await bob.ScreenshotAsync("4-audit-every-conversation-paged");
        });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
