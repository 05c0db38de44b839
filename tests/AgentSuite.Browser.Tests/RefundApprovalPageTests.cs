using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RefundApprovalPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string CarolKey = "carol-key-0123456789";

    /// <summary>With API keys, so each person holds only their roles: alice and carol users, bob user and approver, ops admin.</summary>
    [Fact]
    public async Task RefundAboveThresholdWaitsInTheTrailUntilAnotherPersonApprovesItInTheInbox()
    {
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:3:Key"] = CarolKey;
        settings["Auth:Keys:3:Name"] = "carol";
        settings["Auth:Keys:3:Roles:0"] = "user";
        await using var api = await ApiServer.StartAsync(settings);
        await using var session = new BrowserSession(browser.Browser, api, nameof(RefundAboveThresholdWaitsInTheTrailUntilAnotherPersonApprovesItInTheInbox), output);
        await session.RunAsync(async () =>
        {
            var alice = await SignInAsync(session, DeskKeys.Alice, "alice");
            await alice.SendAsync("I was charged twice on INV-1006, please refund it");

            // The live trail: coordinator hands off to billing, whose refund of 150.00 waits for a person.
            await Expect(alice.Page.Locator("#trail .agent[data-agent='billing']")).ToBeVisibleAsync();
            await Expect(alice.TrailCall("billing/get_invoice").Locator("[data-event='tool.completed']")).ToBeVisibleAsync();
            var refund = alice.TrailCall("billing/issue_refund");
            await Expect(refund.Locator("[data-event='approval.pending']")).ToContainTextAsync("waits until an approver");
            await Expect(alice.TurnStatus).ToContainTextAsync("waiting for an approver");
            await Expect(alice.SendButton).ToBeDisabledAsync();
            await alice.ScreenshotAsync("1-alice-waits-for-approval");

            // Bob, in his own browser, finds it in the inbox with its exact arguments and approves it.
            var bob = await SignInAsync(session, DeskKeys.Bob, "bob");
            await bob.OpenTabAsync("approvals");
            var card = bob.ApprovalCard("billing/issue_refund");
            await Expect(card).ToContainTextAsync("alice");

            // With its context: what the customer asked, the agents it came through, and a link to the conversation.
            await Expect(card.Locator(".customer-request")).ToHaveTextAsync("I was charged twice on INV-1006, please refund it");
            await Expect(card.Locator(".agent-path")).ToContainTextAsync("coordinator → billing");
            await Expect(card.Locator("a.conversation-link")).ToHaveAttributeAsync("href", new Regex(@"^#approvals\?conversation=conv_[0-9a-f]{32}$"));
            await Expect(card.Locator(".replay-note")).ToBeHiddenAsync();
            await Expect(card.Locator(".arguments")).ToContainTextAsync("\"invoice_id\": \"INV-1006\"");
            await Expect(card.Locator(".arguments")).ToContainTextAsync("150");
            await Expect(card.Locator(".own-note")).ToBeHiddenAsync();
            await card.Locator(".comment").FillAsync("Duplicate confirmed on the statement");
            await bob.ScreenshotAsync("2-bob-inbox");
            await card.Locator("button.approve").ClickAsync();
            await Expect(card).ToHaveCountAsync(0);
            await Expect(bob.Page.Locator("#decided-list [data-status='approved']")).ToContainTextAsync("Duplicate confirmed");
            await Expect(bob.Page.Locator("#approvals-empty")).ToBeVisibleAsync();

            // Alice's turn goes on by itself: approved, refunded, answered.
            await Expect(refund.Locator("[data-event='approval.resolved'][data-decision='approved']")).ToContainTextAsync("Duplicate confirmed");
            await Expect(refund.Locator("[data-event='tool.completed']")).ToBeVisibleAsync();
            await Expect(alice.Trail("turn.completed")).ToBeVisibleAsync();
            await Expect(alice.LastReply).ToContainTextAsync("Refunded 150.00 USD for the duplicate charge CH-8 on INV-1006");
            await Expect(alice.SendButton).ToBeEnabledAsync();
            await alice.ScreenshotAsync("3-alice-reply");

            // The audit of the conversation, as an admin reads it: the hand-off tree, the timeline, and the verified chain.
            using var aliceApi = api.ClientWithKey(DeskKeys.Alice);
            var alices = (await aliceApi.GetJsonAsync("/api/conversations")).GetProperty("items")[0].GetProperty("id").GetString()!;
            var ops = await SignInAsync(session, DeskKeys.Ops, "ops");
            await ops.Page.EvaluateAsync("id => { location.hash = 'audit?conversation=' + id; }", alices);
            await Expect(ops.Page.Locator("#audit-conversation")).ToHaveValueAsync(alices);
            await Expect(ops.Page.Locator("#verify")).ToContainTextAsync("Chain verified");
            var handOff = ops.Page.Locator("#audit-tree .tree-call.hand-off[data-tool='agents/ask_billing']");
            await Expect(handOff.Locator(".tree-agent[data-agent='billing']")).ToBeVisibleAsync();
            await Expect(handOff.Locator(".tree-call[data-tool='billing/issue_refund']")).ToContainTextAsync("approved by bob");
            await Expect(ops.Page.Locator("#audit-timeline .entry[data-kind='approval.requested']")).ToBeVisibleAsync();
            await Expect(ops.Page.Locator("#audit-timeline .entry[data-kind='tool.completed']").First).ToBeVisibleAsync();
            await ops.ScreenshotAsync("4-ops-audit");

            // The same refund asked again elsewhere: bob is told it was already paid and approving only replays it.
            using var carol = api.ClientWithKey(CarolKey);
            var again = await carol.NewConversationAsync();
            await using var againTurn = await EventStream.SendAsync(carol, again, "I was charged twice on INV-1006, please refund it");
            await againTurn.ReadUntilAsync("approval.pending");
            await bob.OpenTabAsync("approvals");
            var replayed = bob.ApprovalCard("billing/issue_refund");
            await Expect(replayed.Locator(".replay-note")).ToContainTextAsync("Will be replayed, not executed: already completed at");
            await Expect(replayed).ToContainTextAsync("carol");
            await bob.ScreenshotAsync("5-bob-replay-notice");

            // Its link opens carol's conversation for bob, read-only, though he is neither its owner nor an admin.
            await replayed.Locator("a.conversation-link").ClickAsync();
            var conversation = bob.Page.Locator("#approval-conversation");
            await Expect(conversation).ToHaveAttributeAsync("data-conversation-id", again);
            await Expect(conversation.Locator(".message.user .message-text")).ToHaveTextAsync("I was charged twice on INV-1006, please refund it");
            await Expect(conversation.Locator("#approval-conversation-meta")).ToContainTextAsync("Started by carol");
            await Expect(bob.Page.Locator("#approval-conversation-error")).ToBeHiddenAsync();
            await Expect(replayed).ToBeVisibleAsync();
            await bob.ScreenshotAsync("6-bob-conversation-from-the-card");
            await conversation.Locator(".close-conversation").ClickAsync();
            await Expect(conversation).ToBeHiddenAsync();
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
