using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

/// <summary>The conversations view with API keys: a user's list holds only their own, an admin's everyone's.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConversationsPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string AliceKey = "alice-key-0123456789";
    private const string CarolKey = "carol-key-0123456789";
    private const string OpsKey = "ops-key-01234567890";

    [Fact]
    public async Task AUserSeesOnlyTheirOwnConversationsAndOpensOneInChatWhileAnAdminSeesEveryones()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = AliceKey,
            ["Auth:Keys:0:Name"] = "alice",
            ["Auth:Keys:0:Roles:0"] = "user",
            ["Auth:Keys:1:Key"] = CarolKey,
            ["Auth:Keys:1:Name"] = "carol",
            ["Auth:Keys:1:Roles:0"] = "user",
            ["Auth:Keys:2:Key"] = OpsKey,
            ["Auth:Keys:2:Name"] = "ops",
            ["Auth:Keys:2:Roles:0"] = "admin",
            ["Auth:Keys:2:Roles:1"] = "user",
        });
        using var aliceApi = api.ClientWithKey(AliceKey);
        using var carolApi = api.ClientWithKey(CarolKey);
        var alices = await aliceApi.NewConversationAsync();
        await aliceApi.PostJsonAsync($"/api/conversations/{alices}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var carols = await carolApi.NewConversationAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(AUserSeesOnlyTheirOwnConversationsAndOpensOneInChatWhileAnAdminSeesEveryones), output);
        await session.RunAsync(async () =>
        {
            // Alice's list: her conversation only, with no user filter and no link to the audit (which needs admin).
            var alice = await SignInAsync(session, AliceKey, "alice");
            await alice.OpenTabAsync("conversations");
            var rows = alice.Page.Locator("#conversations-rows tr");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.First).ToHaveAttributeAsync("data-conversation-id", alices);
            await Expect(rows.First).ToContainTextAsync("finished");
            await Expect(alice.Page.Locator("#conversations-user-field")).ToBeHiddenAsync();
            await Expect(rows.First.Locator("button.open-audit")).ToHaveCountAsync(0);
            await alice.ScreenshotAsync("1-user-sees-own-conversations");

            // Finished conversations filtered out: none left.
            await alice.Page.Locator("#conversations-status").SelectOptionAsync("running");
            await alice.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();
            await Expect(rows).ToHaveCountAsync(0);
            await Expect(alice.Page.Locator("#conversations-empty")).ToBeVisibleAsync();
            await alice.Page.Locator("#conversations-status").SelectOptionAsync("");
            await alice.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();

            // Opened in Chat: the conversation and its reply, still signed in with the key.
            await rows.First.Locator("button.open-chat").ClickAsync();
            await Expect(alice.Page.Locator("#conversation-meta")).ToContainTextAsync(alices);
            await Expect(alice.LastReply).ToContainTextAsync("Refunded");
            await Expect(alice.Page.Locator("#identity")).ToContainTextAsync("Signed in as alice");

            // An admin's key lists everyone's, and may narrow it to one user.
            var ops = await SignInAsync(session, OpsKey, "ops");
            await ops.OpenTabAsync("conversations");
            var all = ops.Page.Locator("#conversations-rows tr");
            await Expect(all).ToHaveCountAsync(2);
            await Expect(ops.Page.Locator($"#conversations-rows tr[data-conversation-id='{carols}']")).ToContainTextAsync("no message yet");
            await Expect(ops.Page.Locator("#conversations-user-field")).ToBeVisibleAsync();
            await ops.ScreenshotAsync("2-admin-sees-everyones");

            // One to a page here: "More" brings the next, and goes once there is no other.
            await ops.Page.Locator("#conversations-rows").EvaluateAsync("rows => rows.dataset.pageSize = '1'");
            await ops.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();
            await Expect(all).ToHaveCountAsync(1);
            await Expect(all.First).ToHaveAttributeAsync("data-conversation-id", carols);
            await ops.Page.Locator("#conversations-more").ClickAsync();
            await Expect(all).ToHaveCountAsync(2);
            await Expect(all.Nth(1)).ToHaveAttributeAsync("data-conversation-id", alices);
            await Expect(ops.Page.Locator("#conversations-more")).ToBeHiddenAsync();
            await ops.Page.Locator("#conversations-user").FillAsync("carol");
            await ops.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();
            await Expect(all).ToHaveCountAsync(1);
            await Expect(all.First).ToHaveAttributeAsync("data-user", "carol");

            // With keys the export needs the key's header, which the page sends: alice's audit downloads as the admin.
            await ops.Page.Locator("#conversations-user").FillAsync("alice");
            await ops.Page.Locator("#conversations-filters button[type='submit']").ClickAsync();
            await Expect(all).ToHaveCountAsync(1);
            await all.First.Locator("button.open-audit").ClickAsync();
            await Expect(ops.Page.Locator("#audit-conversation")).ToHaveValueAsync(alices);
            await Expect(ops.Page.Locator("#audit-timeline .entry[data-kind='tool.completed']").First).ToBeVisibleAsync();
            var download = await ops.Page.RunAndWaitForDownloadAsync(() => ops.Page.Locator("#audit-download").ClickAsync());
            var file = Path.Combine(Path.GetTempPath(), $"agentsuite-{Guid.NewGuid():N}.jsonl");
            try
            {
                await download.SaveAsAsync(file);
                using var opsApi = api.ClientWithKey(OpsKey);
                var expected = await opsApi.GetJsonAsync($"/api/audit?conversationId={alices}");
                var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).ToList();
                Assert.Equal(expected.GetArrayLength(), lines.Count);
                Assert.All(lines, l => Assert.Contains($"\"conversationId\":\"{alices}\"", l, StringComparison.Ordinal));
            }
            finally
            {
                File.Delete(file);
            }
        });
    }

    private static async Task<AppPage> SignInAsync(BrowserSession session, string key, string name)
    {
        var page = await session.OpenAnonymousAsync(name);
        await page.Page.Locator("#api-key").FillAsync(key);
        await page.Page.Locator("#signin-form button[type='submit']").ClickAsync();
        await Expect(page.Page.Locator("#identity")).ToContainTextAsync($"Signed in as {name}");
        return page;
    }
}
