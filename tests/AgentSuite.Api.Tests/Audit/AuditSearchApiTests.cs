using System.Net;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests.Audit;

/// <summary><c>GET /api/audit</c>'s filters and paging on a real Api after a real refund.</summary>
public sealed class AuditSearchApiTests(AuditSearchFixture fixture) : IClassFixture<AuditSearchFixture>
{
    private long Head => fixture.All[^1].GetProperty("seq").GetInt64();

    [Fact]
    public async Task EachFilterReturnsExactlyTheMatchingEntries()
    {
        using var ops = fixture.Api.Client("ops");
        var middle = fixture.All[fixture.All.Count / 2].GetProperty("at").GetString()!;
        var cases = new (string Query, Func<JsonElement, bool> Matches)[]
        {
            ($"conversationId={fixture.ConversationId}", e => Text(e, "conversationId") == fixture.ConversationId),
            ("agent=billing", e => Text(e, "agent") == "billing"),
            ("tool=billing/issue_refund", e => Text(e, "tool") == "billing/issue_refund"),
            ("tool=billing/*", e => Text(e, "tool")?.StartsWith("billing/", StringComparison.Ordinal) == true),
            ("tool=*/get_?nvoice*", e => Text(e, "tool")?.Contains("/get_invoice", StringComparison.Ordinal) == true),
            ("decision=allowed", e => Text(e, "decision") == "allowed"),
            ("kind=tool.completed", e => Text(e, "kind") == "tool.completed"),
            ("principal=alice", e => Text(e, "principal") == "alice"),
            ($"from={Uri.EscapeDataString(middle)}", e => e.GetProperty("at").GetDateTimeOffset() >= DateTimeOffset.Parse(middle, System.Globalization.CultureInfo.InvariantCulture)),
            ($"to={Uri.EscapeDataString(middle)}", e => e.GetProperty("at").GetDateTimeOffset() < DateTimeOffset.Parse(middle, System.Globalization.CultureInfo.InvariantCulture)),
            ($"conversationId={fixture.ConversationId}&agent=billing&tool=billing/*&kind=tool.decision&decision=allowed&principal=alice",
                e => Text(e, "conversationId") == fixture.ConversationId && Text(e, "agent") == "billing" && Text(e, "tool")?.StartsWith("billing/", StringComparison.Ordinal) == true
                    && Text(e, "kind") == "tool.decision" && Text(e, "decision") == "allowed" && Text(e, "principal") == "alice"),
        };

        foreach (var (query, matches) in cases)
        {
            var expected = fixture.All.Where(matches).Select(Seq).ToList();
            var got = (await ops.GetJsonAsync($"/api/audit?{query}&limit=1000")).EnumerateArray().Select(Seq).Where(s => s <= Head).ToList();
            Assert.True(expected.Count > 0 && expected.Count < fixture.All.Count, $"{query}: the fixture's audit does not tell this filter apart ({expected.Count} of {fixture.All.Count}).");
            Assert.True(expected.SequenceEqual(got), $"{query}: expected seqs {string.Join(',', expected)}, got {string.Join(',', got)}");
        }

        Assert.Empty((await ops.GetJsonAsync("/api/audit?tool=nosuch/*")).EnumerateArray());
        Assert.Empty((await ops.GetJsonAsync("/api/audit?tool=billing/issue_[r]efund")).EnumerateArray());
    }

    [Fact]
    public async Task FollowingNextAfterSeqReturnsEveryEntryExactlyOnce()
    {
        using var ops = fixture.Api.Client("ops");
        foreach (var filter in new[] { "", "tool=billing/*&" })
        {
            var expected = (await ops.GetJsonAsync($"/api/audit?{filter}limit=1000")).EnumerateArray().Select(Seq).ToList();
            var seen = new List<long>();
            var path = $"/api/audit?{filter}limit=3";
            var pages = 0;
            while (path is not null)
            {
                using var response = await ops.GetAsync(path);
                var page = (await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(Seq).ToList();
                seen.AddRange(page);
                pages++;
                if (response.Headers.TryGetValues("X-Next-After-Seq", out var next))
                {
                    Assert.Equal(3, page.Count);
                    Assert.Equal(page[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(next));
                    var link = Assert.Single(response.Headers.GetValues("Link"));
                    Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
                    path = link[1..link.IndexOf('>', StringComparison.Ordinal)];
                    Assert.Contains($"afterSeq={page[^1]}", path, StringComparison.Ordinal);
                }
                else
                {
                    path = null;
                }
            }

            Assert.True(pages > 2, $"{filter}: only {pages} pages of 3.");
            Assert.Equal(seen.Distinct().Count(), seen.Count);
            Assert.Equal(expected, seen.Where(s => s <= expected[^1]));
        }
    }

    [Fact]
    public async Task EmptyFiltersMeanEverythingPaged()
    {
        using var ops = fixture.Api.Client("ops");
        using var response = await ops.GetAsync("/api/audit?conversationId=&agent=&tool=&decision=&kind=&principal=&from=&to=&limit=2");

        var page = (await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(Seq).ToList();

        Assert.Equal(fixture.All.Take(2).Select(Seq), page);
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Next-After-Seq")));
    }

    [Theory]
    [InlineData("afterSeq=-1", "afterSeq must be a whole number of 0 or more")]
    [InlineData("limit=0", "limit must be a whole number from 1 to 1000")]
    [InlineData("tool=billing/%20x", "tool must be a tool pattern")]
    [InlineData("from=yesterday", "from must be an ISO 8601 date and time with an offset")]
    [InlineData("to=2026-12-06T08:00:00", "to must be an ISO 8601 date and time with an offset")]
    [InlineData("from=2026-12-06T09:00:00Z&to=2026-12-06T08:00:00Z", "from must be earlier than to")]
    public async Task ABadFilterIs400NamingTheParameter(string query, string detail)
    {
        using var ops = fixture.Api.Client("ops");
        using var read = await ops.GetAsync($"/api/audit?{query}");
        using var export = await ops.GetAsync($"/api/audit/export?{query}");

        await read.ProblemAsync(HttpStatusCode.BadRequest, detail);
        if (!query.StartsWith("limit", StringComparison.Ordinal))
        {
            await export.ProblemAsync(HttpStatusCode.BadRequest, detail);
        }
    }

    private static long Seq(JsonElement e) => e.GetProperty("seq").GetInt64();

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
