using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary><c>agentsuite conversations list</c> against the real Api: who sees what, the filters, and the next page.</summary>
public sealed class ConversationsListAgainstApiTests
{
    private const string AliceKey = "alice-key-0123456789";
    private const string OpsKey = "ops-key-01234567890";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Auth:Keys:0:Key"] = AliceKey,
        ["Auth:Keys:0:Name"] = "alice",
        ["Auth:Keys:0:Roles:0"] = "user",
        ["Auth:Keys:1:Key"] = "bob-key-01234567890",
        ["Auth:Keys:1:Name"] = "bob",
        ["Auth:Keys:1:Roles:0"] = "user",
        ["Auth:Keys:2:Key"] = OpsKey,
        ["Auth:Keys:2:Name"] = "ops",
        ["Auth:Keys:2:Roles:0"] = "admin",
    };

    [Fact]
    public async Task AUserListsTheirOwnAndAnAdminPagesThroughEveryonesWithTheCommandForTheNextPage()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        var url = api.BaseAddress.ToString();
        var a1 = await NewConversationAsync(api, AliceKey);
        var b1 = await NewConversationAsync(api, "bob-key-01234567890");
        var a2 = await NewConversationAsync(api, AliceKey);

        var own = await CliRunner.RunAsync("--url", url, "--api-key", AliceKey, "conversations", "list");
        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Contains(a1, own.Out, StringComparison.Ordinal);
        Assert.Contains(a2, own.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(b1, own.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("More on the next page", own.Out, StringComparison.Ordinal);
        var row = Assert.Single(own.Out.Split('\n'), l => l.Contains(a1, StringComparison.Ordinal));
        Assert.Contains("alice", row, StringComparison.Ordinal);
        Assert.Contains("none", row, StringComparison.Ordinal);

        var first = await CliRunner.RunAsync("--url", url, "--api-key", OpsKey, "conversations", "list", "--limit", "2");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(first.Out.IndexOf(a2, StringComparison.Ordinal) < first.Out.IndexOf(b1, StringComparison.Ordinal), first.Out);
        Assert.DoesNotContain(a1, first.Out, StringComparison.Ordinal);
        Assert.Contains($"More on the next page: agentsuite conversations list --limit 2 --after {b1}", first.Out, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync("--url", url, "--api-key", OpsKey, "conversations", "list", "--limit", "2", "--after", b1);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains(a1, second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(a2, second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("More on the next page", second.Out, StringComparison.Ordinal);

        var other = await CliRunner.RunAsync("--url", url, "--api-key", AliceKey, "conversations", "list", "--created-by", "bob");
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("'alice' may list only their own conversations", other.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 403", other.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndTimeFiltersNarrowTheListAndABadValueSaysWhatIsAccepted()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var chat = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", "I was charged twice on INV-1002, please refund it"], new CliOptions { Timeout = TimeSpan.FromSeconds(120) });
        Assert.True(chat.ExitCode == 0, chat.ToString());
        var fresh = await CliRunner.RunAsync("--url", url, "--user", "alice", "conversations", "list", "--status", "none");
        Assert.Contains("No conversations.", fresh.Out, StringComparison.Ordinal);

        var completed = await CliRunner.RunAsync("--url", url, "--user", "alice", "conversations", "list", "--status", "completed", "--from", "2000-01-01");
        Assert.True(completed.ExitCode == 0, completed.ToString());
        var row = Assert.Single(completed.Out.Split('\n'), l => l.Contains("conv_", StringComparison.Ordinal));
        Assert.Contains("completed", row, StringComparison.Ordinal);
        Assert.Contains("│ 2 ", row, StringComparison.Ordinal);
        Assert.Contains("No conversations.", (await CliRunner.RunAsync("--url", url, "conversations", "list", "--to", "2000-01-01")).Out, StringComparison.Ordinal);

        var badStatus = await CliRunner.RunAsync("--url", url, "conversations", "list", "--status", "finished");
        Assert.Equal(1, badStatus.ExitCode);
        Assert.Contains("'finished'", badStatus.Error, StringComparison.Ordinal);
        Assert.Contains("abandoned", badStatus.Error, StringComparison.Ordinal);
        var badTime = await CliRunner.RunAsync("--url", url, "conversations", "list", "--from", "yesterday");
        Assert.Equal(1, badTime.ExitCode);
        Assert.Contains("from 'yesterday' is not an ISO 8601 date or instant", badTime.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 400", badTime.Error, StringComparison.Ordinal);
    }

    private static async Task<string> NewConversationAsync(ApiServer api, string key)
    {
        using var client = api.ClientWithKey(key);
        using var response = await client.PostAsJsonAsync("/api/conversations", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
