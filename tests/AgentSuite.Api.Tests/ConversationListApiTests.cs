using System.Net;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary><c>GET /api/conversations</c> against the real Api with API keys: who sees what, the filters, paging, and bad filters.</summary>
public sealed class ConversationListApiTests
{
    private static readonly Dictionary<string, string?> Keys = DeskKeys.Settings();

    [Fact]
    public async Task AUserListsOnlyTheirOwnConversationsAndAnAdminListsEveryones()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var bob = api.ClientWithKey("bob-key-01234567890");
        using var ops = api.ClientWithKey("ops-key-01234567890");
        var a1 = await alice.NewConversationAsync();
        var b1 = await bob.NewConversationAsync();
        var a2 = await alice.NewConversationAsync();

        Assert.Equal([a2, a1], Ids(await alice.GetJsonAsync("/api/conversations")));
        Assert.Equal([a2, a1], Ids(await alice.GetJsonAsync("/api/conversations?user=ALICE")));
        Assert.Equal([b1], Ids(await bob.GetJsonAsync("/api/conversations")));
        Assert.Equal([a2, b1, a1], Ids(await ops.GetJsonAsync("/api/conversations")));
        Assert.Equal([b1], Ids(await ops.GetJsonAsync("/api/conversations?user=bob")));
        using (var other = await alice.GetAsync("/api/conversations?user=bob"))
        {
            await other.ProblemAsync(HttpStatusCode.Forbidden, "'alice' may list only their own conversations");
        }

        var item = (await ops.GetJsonAsync("/api/conversations?user=bob")).GetProperty("items")[0];
        Assert.Equal(("bob", 0), (item.GetProperty("createdBy").GetString(), item.GetProperty("messageCount").GetInt32()));
        Assert.False(item.TryGetProperty("turn", out _));
    }

    [Fact]
    public async Task PagingReturnsEveryConversationExactlyOnceNewestFirstEvenWhileNewOnesStart()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await alice.NewConversationAsync());
        }

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await alice.GetJsonAsync("/api/conversations?limit=3" + (after is null ? "" : $"&afterId={after}"));
            seen.AddRange(Ids(page));
            pages++;
            after = page.TryGetProperty("nextAfterId", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;

            // A conversation started mid-way is newer than every page still to come: it never shifts them.
            await alice.NewConversationAsync();
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task TheStatusFilterFollowsTheLatestTurn()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var ops = api.ClientWithKey("ops-key-01234567890");
        var fresh = await alice.NewConversationAsync();
        var done = await alice.NewConversationAsync();
        await alice.PostJsonAsync($"/api/conversations/{done}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var waiting = await alice.NewConversationAsync();
        await using var stream = await EventStream.SendAsync(alice, waiting, "I was charged twice on INV-1006, please refund it");
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();

        Assert.Equal([fresh], Ids(await alice.GetJsonAsync("/api/conversations?status=none")));
        Assert.Equal([done], Ids(await alice.GetJsonAsync("/api/conversations?status=completed")));
        Assert.Empty(Ids(await ops.GetJsonAsync("/api/conversations?status=failed")));
        var listed = (await ops.GetJsonAsync("/api/conversations?status=waiting")).GetProperty("items");
        var item = Assert.Single(listed.EnumerateArray());
        Assert.Equal(waiting, item.GetProperty("id").GetString());
        Assert.Equal(1, item.GetProperty("messageCount").GetInt32());
        Assert.True(item.TryGetProperty("lastMessageAt", out _));
        var turn = item.GetProperty("turn");
        Assert.Equal(("waiting", approvalId), (turn.GetProperty("status").GetString(), turn.GetProperty("approvalId").GetString()));
        Assert.StartsWith("run_", turn.GetProperty("runId").GetString(), StringComparison.Ordinal);
        Assert.False(turn.TryGetProperty("endedAt", out _));
        var completed = (await alice.GetJsonAsync("/api/conversations?status=completed")).GetProperty("items")[0];
        Assert.Equal(2, completed.GetProperty("messageCount").GetInt32());
        Assert.True(completed.GetProperty("turn").TryGetProperty("endedAt", out _));
    }

    [Fact]
    public async Task FromIsInclusiveAndToExclusiveOnCreatedAt()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        var first = await alice.NewConversationAsync();
        var middle = await alice.NewConversationAsync();
        var last = await alice.NewConversationAsync();
        var all = (await alice.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray().ToList();
        var createdAt = all.Single(c => c.GetProperty("id").GetString() == middle).GetProperty("createdAt").GetDateTimeOffset();
        var at = Uri.EscapeDataString(createdAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var justAfter = Uri.EscapeDataString(createdAt.AddTicks(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([last, middle], Ids(await alice.GetJsonAsync($"/api/conversations?from={at}")));
        Assert.Equal([first], Ids(await alice.GetJsonAsync($"/api/conversations?to={at}")));
        Assert.Equal([middle], Ids(await alice.GetJsonAsync($"/api/conversations?from={at}&to={justAfter}")));
        Assert.Empty(Ids(await alice.GetJsonAsync("/api/conversations?to=2000-01-01")));
    }

    [Theory]
    [InlineData("status=finished", "status 'finished' is not one of running, waiting, completed, failed, abandoned, none")]
    [InlineData("limit=0", "limit must be a whole number from 1 to 200")]
    [InlineData("limit=201", "limit must be a whole number from 1 to 200")]
    [InlineData("limit=ten", "limit must be a whole number from 1 to 200")]
    [InlineData("from=yesterday", "from 'yesterday' is not an ISO 8601 date or instant")]
    [InlineData("to=2026-13-45", "to '2026-13-45' is not an ISO 8601 date or instant")]
    [InlineData("from=2026-12-02&to=2026-12-01", "from (2026-12-02) is after to (2026-12-01)")]
    [InlineData("afterId=conv_nosuch", "afterId 'conv_nosuch' is not a conversation")]
    [InlineData("user=", "user is empty")]
    public async Task ABadFilterIs400NamingTheParameterAndWhatItAccepts(string query, string detail)
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var ops = api.ClientWithKey("ops-key-01234567890");

        using var response = await ops.GetAsync($"/api/conversations?{query}");

        await response.ProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
}
