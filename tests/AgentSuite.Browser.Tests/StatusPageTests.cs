using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class StatusPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> FastChecks = new() { ["Mcp:StatusInterval"] = "00:00:00.200" };

    [Fact]
    public async Task TheStatusTabShowsAPluginGoingDownWithItsError()
    {
        await using var api = await ApiServer.StartAsync(FastChecks);
        await using var session = new BrowserSession(browser.Browser, api, nameof(TheStatusTabShowsAPluginGoingDownWithItsError), output);
        await session.RunAsync(async () =>
        {
            var ops = await session.OpenAsync("alice");
            await ops.SendAsync("I was charged twice on INV-1002, please refund it");
            await Expect(ops.LastReply).ToContainTextAsync("Refunded 49.00 USD");
            await ops.OpenTabAsync("status");
            var billing = ops.Page.Locator("#status-servers [data-server='billing']");
            await Expect(billing).ToHaveAttributeAsync("data-state", "live");
            await Expect(billing).ToContainTextAsync("issue_refund");
            await Expect(ops.Page.Locator("#policy-version")).ToHaveTextAsync(new Regex("^[0-9a-f]{12}$"));
            await Expect(ops.Page.Locator("#status-facts")).ToContainTextAsync("demo (mock)");
            await Expect(ops.Page.Locator("#status-switches")).ToContainTextAsync("No kill switch is engaged.");

            // The operations figures count the turn just run, in both windows, each count with its sparkline.
            foreach (var window in new[] { "hour", "day" })
            {
                var strip = ops.Page.Locator($"#status-metrics [data-window='{window}']");
                await Expect(strip.Locator("[data-figure='turns'] .metric-value")).ToHaveTextAsync("1");
                await Expect(strip.Locator("[data-figure='turns'] svg.sparkline polyline")).ToHaveCountAsync(1);
                await Expect(strip.Locator("[data-figure='failures'] .metric-value")).ToHaveTextAsync("0");
            }

            await Expect(ops.Page.Locator("#status-tools [data-tool='billing/issue_refund']")).ToContainTextAsync("pinned");

            // On SQLite the Api instances are this one alone, live, with the policy version shown above.
            var self = ops.Page.Locator("#status-instances .status-instance");
            await Expect(self).ToHaveCountAsync(1);
            await Expect(self).ToContainTextAsync("this one");
            await Expect(self).ToContainTextAsync("live");
            await Expect(self).ToContainTextAsync(await ops.Page.Locator("#policy-version").InnerTextAsync());
            await ops.ScreenshotAsync("0-all-live");

            // Killed as a crash would: the open tab shows it down, with why, without being reloaded.
            Assert.Equal(1, PluginProcesses.KillServerUsing(Path.Combine(api.DataFolder, "billing.db")));
            await Expect(billing).ToHaveAttributeAsync("data-state", "down");
            await Expect(billing.Locator(".last-error")).ToContainTextAsync(new Regex("its process exited with code [0-9]+"));
            await Expect(ops.Page.Locator("#status-servers [data-server='crm']")).ToHaveAttributeAsync("data-state", "live");
            await ops.ScreenshotAsync("1-billing-down");
        });
    }

    [Fact]
    public async Task AChangedToolShowsItsDiffOnTheStatusTabAndCanBeReapproved()
    {
        var api = await ApiServer.StartAsync(FastChecks);
        try
        {
            api = await api.RestartAsync(FastChecks, folder => EarlierToolDefinition.Pin(folder, "billing/issue_refund"));
            await using var session = new BrowserSession(browser.Browser, api, nameof(AChangedToolShowsItsDiffOnTheStatusTabAndCanBeReapproved), output);
            await session.RunAsync(async () =>
            {
                var ops = await session.OpenAsync("alice");
                await ops.OpenTabAsync("status");
                var refund = ops.Page.Locator("#status-tools [data-tool='billing/issue_refund']");
                await Expect(refund).ToHaveClassAsync(new Regex(@"\bblocked\b"));
                await Expect(refund).ToContainTextAsync("blocked: changed");

                await refund.GetByRole(AriaRole.Button, new() { Name = "Review change" }).ClickAsync();
                var review = ops.Page.Locator("#tool-review");
                await Expect(review.Locator(".diff-line.removed")).ToContainTextAsync(EarlierToolDefinition.Description);
                await Expect(review.Locator(".diff-line.added")).ToContainTextAsync("\"description\":");
                await Expect(review.Locator(".diff-line.same").Filter(new() { HasText = "\"inputSchema\"" })).ToHaveCountAsync(1);
                await ops.ScreenshotAsync("0-review-change");

                await review.GetByRole(AriaRole.Button, new() { Name = "Re-approve" }).ClickAsync();
                await Expect(review).ToBeHiddenAsync();
                await Expect(refund).Not.ToHaveClassAsync(new Regex(@"\bblocked\b"));
                await Expect(refund).ToContainTextAsync("approved by alice");
                await ops.ScreenshotAsync("1-reapproved");

                // Approved, the tool runs again.
                await ops.SendAsync("I was charged twice on INV-1002, please refund it");
                await Expect(ops.LastReply).ToContainTextAsync("Refunded 49.00 USD");
            });
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
