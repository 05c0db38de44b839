using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BearerTokenPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task APastedBearerTokenSignsThePageInAsTheTokensNameAndSubject()
    {
        await using var issuer = new TokenIssuer();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        await using var session = new BrowserSession(browser.Browser, api, nameof(APastedBearerTokenSignsThePageInAsTheTokensNameAndSubject), output);
        await session.RunAsync(async () =>
        {
            var page = await session.OpenAnonymousAsync();
            var signIn = page.Page.Locator("#signin-form");
            await Expect(signIn).ToBeVisibleAsync();

            await page.Page.Locator("#api-key").FillAsync("Bearer " + issuer.Token("sub-alice", "Alice Smith", ["user"]));
            await signIn.Locator("button[type='submit']").ClickAsync();

            await Expect(page.Page.Locator("#identity")).ToContainTextAsync("Signed in as Alice Smith (sub-alice)");
            await Expect(page.Page.Locator("#identity .roles")).ToHaveTextAsync("user");
            await Expect(page.Page.Locator("[data-view='chat'] .content")).ToBeVisibleAsync();
            await page.ScreenshotAsync("1-signed-in-with-a-token");
        });
    }
}
