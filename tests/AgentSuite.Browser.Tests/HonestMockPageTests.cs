using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

/// <summary>
/// A customer whose message the demo model has no answer for is told so plainly; the script detail is the developer's,
/// folded away under the reply and shown in the trail.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HonestMockPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Honest = "Sorry, the demo model has no answer for that.";

    [Fact]
    public async Task AMessageTheDemoModelCannotAnswerShowsTheHonestReplyWithTheDetailFoldedAway()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(AMessageTheDemoModelCannotAnswerShowsTheHonestReplyWithTheDetailFoldedAway), output);
        await session.RunAsync(async () =>
        {
            var alice = await session.OpenAsync("alice");
            await alice.SendAsync("I was charged twice on INV-1003");

            await Expect(alice.Trail("turn.failed")).ToBeVisibleAsync();
            await Expect(alice.LastReply.Locator(".message-text")).ToHaveTextAsync(Honest);
            var detail = alice.LastReply.Locator("details.developer-detail");
            await Expect(detail.Locator("summary")).ToHaveTextAsync("Details for the developer");
            await Expect(detail.Locator("p")).ToBeHiddenAsync();
            await Expect(detail.Locator("p")).ToContainTextAsync("{{results.billing_get_invoice.charges.1.amount}}");
            await Expect(alice.Page.Locator("#messages .message.error")).ToHaveCountAsync(0);
            await Expect(alice.SendButton).ToBeEnabledAsync();
            await alice.ScreenshotAsync("1-honest-reply");

            // After a reload the conversation still shows the reply, and the failed turn's reason under it.
            await alice.Page.ReloadAsync();
            await Expect(alice.LastReply.Locator(".message-text")).ToHaveTextAsync(Honest);
            await Expect(alice.LastReply.Locator("details.developer-detail p")).ToContainTextAsync("has no answer for agent 'billing'");
            await Expect(alice.Trail("turn.failed")).ToBeVisibleAsync();
        });
    }
}
