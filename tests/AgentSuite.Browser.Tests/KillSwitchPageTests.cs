using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class KillSwitchPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task KillSwitchEngagedFromThePageDeniesTheNextTurnsCallUntilReleased()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(KillSwitchEngagedFromThePageDeniesTheNextTurnsCallUntilReleased), output);
        await session.RunAsync(async () =>
        {
            var admin = await session.OpenAsync("alice");
            await admin.OpenTabAsync("governance");
            var global = admin.Page.Locator("#global-switch");

            // Stopping everything asks first: declined, nothing is engaged.
            var answer = false;
            var asked = new List<string>();
            admin.Page.Dialog += async (_, dialog) =>
            {
                asked.Add(dialog.Message);
                await (answer ? dialog.AcceptAsync() : dialog.DismissAsync());
            };
            await global.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Stop all tool calls" }).ClickAsync();
            await Expect(global).ToContainTextAsync("Tools run under their rules");
            Assert.Contains("Stop every tool call of every agent", Assert.Single(asked), StringComparison.Ordinal);

            // Confirmed, with a reason: it engages, and the audit keeps why.
            answer = true;
            await admin.Page.Locator("#kill-reason").FillAsync("refunds look wrong");
            await global.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Stop all tool calls" }).ClickAsync();
            await Expect(global).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("engaged"));
            await Expect(global).ToContainTextAsync("by alice");
            await Expect(global).ToContainTextAsync(": refunds look wrong.");
            using (var ops = api.Client("ops"))
            {
                var audit = System.Text.Json.JsonDocument.Parse(await ops.GetStringAsync("/api/audit")).RootElement;
                var entry = audit.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "governance.kill_switch");
                Assert.Equal(("global", "refunds look wrong"), (entry.GetProperty("reason").GetString(), entry.GetProperty("data").GetProperty("reason").GetString()));
            }

            await Expect(global).ToContainTextAsync("Everything is stopped");

            // Chat says so while everything is stopped, and no longer once it is released.
            await admin.OpenTabAsync("chat");
            await Expect(admin.Page.Locator("#stopped-banner")).ToContainTextAsync("An operator has stopped every tool call.");
            await admin.ScreenshotAsync("0-chat-banner");
            await admin.OpenTabAsync("governance");
            await global.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Release the global switch" }).ClickAsync();
            await Expect(global).ToContainTextAsync("Tools run under their rules");
            await admin.OpenTabAsync("chat");
            await Expect(admin.Page.Locator("#stopped-banner")).ToBeHiddenAsync();
            await admin.OpenTabAsync("governance");

            // One tool stopped: the refund.
            await admin.Page.Locator("#kill-kind").SelectOptionAsync("tool");
            await admin.Page.Locator("#kill-name").FillAsync("billing/issue_refund");
            await admin.Page.Locator("#engage-form button[type='submit']").ClickAsync();
            var engaged = admin.Page.Locator("#switches [data-scope='tool:billing/issue_refund']");
            await Expect(engaged).ToBeVisibleAsync();
            await admin.ScreenshotAsync("1-switch-engaged");

            await admin.SendAsync(Refund);
            var denial = admin.TrailCall("billing/issue_refund").Locator("[data-event='tool.decision'][data-decision='denied']");
            await Expect(denial).ToContainTextAsync("kill switch");
            await Expect(admin.LastReply).ToContainTextAsync("I did not refund the duplicate charge on INV-1002");
            await admin.ScreenshotAsync("2-turn-denied");

            // Released: the same request refunds.
            await admin.OpenTabAsync("governance");
            await engaged.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Release" }).ClickAsync();
            await Expect(admin.Page.Locator("#switches")).ToContainTextAsync("No agent, server, tool or caller is stopped.");

            await admin.SendAsync(Refund);
            await Expect(admin.TrailCall("billing/issue_refund").Locator("[data-event='tool.completed']")).ToBeVisibleAsync();
            await Expect(admin.LastReply).ToContainTextAsync("Refunded 49.00 USD");
            await admin.ScreenshotAsync("3-released-refunded");
        });
    }

    [Fact]
    public async Task ACallerStoppedFromThePageHasItsNextCallDeniedWhileOthersGoOnAndTheStatusShowsTodaysTokens()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(ACallerStoppedFromThePageHasItsNextCallDeniedWhileOthersGoOnAndTheStatusShowsTodaysTokens), output);
        await session.RunAsync(async () =>
        {
            var admin = await session.OpenAsync("alice");
            await admin.OpenTabAsync("governance");
            await admin.Page.Locator("#kill-kind").SelectOptionAsync("principal");
            await Expect(admin.Page.Locator("#kill-name")).ToHaveAttributeAsync("placeholder", "acme-refund-bot");
            await admin.Page.Locator("#kill-name").FillAsync("bob");
            await admin.Page.Locator("#engage-form button[type='submit']").ClickAsync();
            await Expect(admin.Page.Locator("#switches [data-scope='principal:bob']")).ToBeVisibleAsync();
            await admin.ScreenshotAsync("0-caller-stopped");

            // Refused before a turn starts (403): the message is handed back, unanswered, with the reason.
            var bob = await session.OpenAsync("bob");
            await bob.SendAsync(Refund);
            await Expect(bob.Page.Locator("#messages .message.error").Last).ToContainTextAsync("The kill switch 'principal:bob' is engaged");
            await bob.ScreenshotAsync("1-bob-denied");

            await admin.OpenTabAsync("chat");
            await admin.SendAsync(Refund);
            await Expect(admin.LastReply).ToContainTextAsync("Refunded 49.00 USD");

            // Alice spent model tokens today against the appsettings' budget; bob, refused before any model call, spent none.
            await admin.OpenTabAsync("status");
            var budgets = admin.Page.Locator("#status-budgets");
            await Expect(budgets.Locator("[data-principal='alice']")).ToContainTextAsync("5,000,000");
            await Expect(budgets.Locator("[data-principal='bob']")).ToHaveCountAsync(0);
            await admin.ScreenshotAsync("2-status-budgets");
        });
    }
}
