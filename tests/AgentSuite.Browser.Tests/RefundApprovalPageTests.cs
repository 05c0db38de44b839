using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RefundApprovalPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task RefundAboveThresholdWaitsInTheTrailUntilAnotherPersonApprovesItInTheInbox()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(RefundAboveThresholdWaitsInTheTrailUntilAnotherPersonApprovesItInTheInbox), output);
        await session.RunAsync(async () =>
        {
            var alice = await session.OpenAsync("alice");
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
            var bob = await session.OpenAsync("bob");
            await bob.OpenTabAsync("approvals");
            var card = bob.ApprovalCard("billing/issue_refund");
            await Expect(card).ToContainTextAsync("alice");
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

            // The audit of the conversation: the hand-off tree, the timeline, and the verified chain.
            await alice.OpenTabAsync("audit");
            await Expect(alice.Page.Locator("#verify")).ToContainTextAsync("Chain verified");
            var handOff = alice.Page.Locator("#audit-tree .tree-call.hand-off[data-tool='agents/ask_billing']");
            await Expect(handOff.Locator(".tree-agent[data-agent='billing']")).ToBeVisibleAsync();
            await Expect(handOff.Locator(".tree-call[data-tool='billing/issue_refund']")).ToContainTextAsync("approved by bob");
            await Expect(alice.Page.Locator("#audit-timeline .entry[data-kind='approval.requested']")).ToBeVisibleAsync();
            await Expect(alice.Page.Locator("#audit-timeline .entry[data-kind='tool.completed']").First).ToBeVisibleAsync();
            await alice.ScreenshotAsync("4-alice-audit");
        });
    }
}
