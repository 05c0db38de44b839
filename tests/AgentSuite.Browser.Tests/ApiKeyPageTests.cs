using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ApiKeyPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string AliceKey = "alice-key-0123456789";

    [Fact]
    public async Task WithKeysConfiguredThePageAsksForOneAndSaysWhichSectionsItsRolesDoNotAllow()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = AliceKey,
            ["Auth:Keys:0:Name"] = "alice",
            ["Auth:Keys:0:Roles:0"] = "user",
        });
        await using var session = new BrowserSession(browser.Browser, api, nameof(WithKeysConfiguredThePageAsksForOneAndSaysWhichSectionsItsRolesDoNotAllow), output);
        await session.RunAsync(async () =>
        {
            var page = await session.OpenAnonymousAsync();
            var signIn = page.Page.Locator("#signin-form");
            await Expect(signIn).ToBeVisibleAsync();
            await Expect(page.Page.Locator("[data-view='chat']")).ToBeHiddenAsync();

            await page.Page.Locator("#api-key").FillAsync("not-a-key-of-this-api");
            await signIn.Locator("button[type='submit']").ClickAsync();
            await Expect(page.Page.Locator("#signin-error")).ToBeVisibleAsync();
            await page.ScreenshotAsync("1-wrong-key");

            await page.Page.Locator("#api-key").FillAsync(AliceKey);
            await signIn.Locator("button[type='submit']").ClickAsync();
            await Expect(page.Page.Locator("#identity")).ToContainTextAsync("Signed in as alice");
            await Expect(page.Page.Locator("#identity .roles")).ToHaveTextAsync("user");
            await Expect(page.Page.Locator("[data-view='chat'] .content")).ToBeVisibleAsync();

            // A user-only key: the inbox and the audit say which role they need instead of failing.
            await page.Page.Locator("nav [data-tab='approvals']").ClickAsync();
            await Expect(page.Page.Locator("[data-view='approvals'] .gate")).ToContainTextAsync("This needs the approver role");
            await page.Page.Locator("nav [data-tab='audit']").ClickAsync();
            await Expect(page.Page.Locator("[data-view='audit'] .gate")).ToContainTextAsync("This needs the admin role");
            await page.ScreenshotAsync("2-user-key-on-audit");

            await page.Page.Locator("#identity button").ClickAsync();
            await Expect(signIn).ToBeVisibleAsync();
        });
    }
}
