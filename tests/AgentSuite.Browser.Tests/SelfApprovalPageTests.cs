using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SelfApprovalPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task RequesterCannotDecideTheirOwnRefundButAnotherNameOnTheSamePageCanDenyIt()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(RequesterCannotDecideTheirOwnRefundButAnotherNameOnTheSamePageCanDenyIt), output);
        await session.RunAsync(async () =>
        {
            var page = await session.OpenAsync("bob");
            await page.SendAsync("I was charged twice on INV-1006, please refund it");
            await Expect(page.Trail("approval.pending")).ToBeVisibleAsync();

            // Bob's own request: the inbox shows it, says why he cannot decide it, and offers no decision.
            await page.OpenTabAsync("approvals");
            var card = page.ApprovalCard("billing/issue_refund");
            await Expect(card.Locator(".own-note")).ToContainTextAsync("nobody approves their own request");
            await Expect(card.Locator("button.approve")).ToBeDisabledAsync();
            await Expect(card.Locator("button.deny")).ToBeDisabledAsync();
            await page.ScreenshotAsync("1-bob-own-request");

            // One person plays both roles in demo mode: switch the name to alice, who denies it with a reason.
            await page.ActAsAsync("alice");
            await Expect(card.Locator(".own-note")).ToBeHiddenAsync();
            await card.Locator(".comment").FillAsync("Not a duplicate: the second charge is the renewal");
            await card.Locator("button.deny").ClickAsync();
            await Expect(page.Page.Locator("#decided-list [data-status='denied']")).ToContainTextAsync("alice");
            await page.ScreenshotAsync("2-alice-denied");

            await page.OpenTabAsync("chat");
            await Expect(page.Trail("approval.resolved")).ToHaveAttributeAsync("data-decision", "denied");
            await Expect(page.LastReply).ToContainTextAsync("I did not refund the duplicate charge on INV-1006");
            await page.ScreenshotAsync("3-reply-after-denial");
        });
    }
}
