using AgentSuite.Api.Tests.Support;
using AgentSuite.Browser.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests;

/// <summary>
/// A person who comes back to a turn under way sees what happened: a reloaded page draws the turn's trail again and
/// follows it live, and a page whose Api restarted mid-turn re-attaches by itself and shows the turn was resumed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReattachPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task ReloadedPageShowsTheWaitingTurnAgainAndReceivesTheRestLive()
    {
        await using var api = await ApiServer.StartAsync();
        await using var session = new BrowserSession(browser.Browser, api, nameof(ReloadedPageShowsTheWaitingTurnAgainAndReceivesTheRestLive), output);
        await session.RunAsync(async () =>
        {
            var alice = await session.OpenAsync("alice");
            await alice.SendAsync(BigRefund);
            await Expect(alice.TrailCall("billing/issue_refund").Locator("[data-event='approval.pending']")).ToBeVisibleAsync();
            var approvalId = await alice.Trail("approval.pending").GetAttributeAsync("data-approval-id");
            var steps = await alice.Page.Locator("#trail .step").CountAsync();

            await alice.Page.ReloadAsync();

            // The same trail, the same waiting state, and the send box says why it cannot send yet.
            await Expect(alice.Page.Locator("#trail .trail-request")).ToContainTextAsync(BigRefund);
            await Expect(alice.Trail("approval.pending")).ToHaveAttributeAsync("data-approval-id", approvalId!);
            await Expect(alice.TrailCall("billing/get_invoice").Locator("[data-event='tool.completed']")).ToBeVisibleAsync();
            await Expect(alice.Page.Locator("#trail .step")).ToHaveCountAsync(steps);
            await Expect(alice.TurnStatus).ToContainTextAsync("waiting for an approver");
            await Expect(alice.SendButton).ToBeDisabledAsync();
            await Expect(alice.BusyNote).ToContainTextAsync("waiting for an approval");
            await Expect(alice.Page.Locator("#messages .message.user")).ToContainTextAsync(BigRefund);
            await alice.ScreenshotAsync("1-reloaded-page-waits");

            using var bob = api.Client("bob");
            await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "Duplicate confirmed" });

            // The reloaded page gets the rest as it happens: approved, refunded, answered.
            await Expect(alice.Trail("approval.resolved")).ToHaveAttributeAsync("data-decision", "approved");
            await Expect(alice.TrailCall("billing/issue_refund").Locator("[data-event='tool.completed']")).ToBeVisibleAsync();
            await Expect(alice.Trail("turn.completed")).ToBeVisibleAsync();
            await Expect(alice.LastReply).ToContainTextAsync("Refunded 150.00 USD for the duplicate charge CH-8 on INV-1006");
            await Expect(alice.SendButton).ToBeEnabledAsync();
            await Expect(alice.BusyNote).ToBeHiddenAsync();
            await alice.ScreenshotAsync("2-reply-arrives-live");

            // Once more after the turn: the ended trail and the reply, once.
            await alice.Page.ReloadAsync();
            await Expect(alice.Trail("turn.completed")).ToBeVisibleAsync();
            await Expect(alice.Trail("approval.resolved")).ToHaveAttributeAsync("data-decision", "approved");
            await Expect(alice.Page.Locator("#messages .message.assistant")).ToHaveCountAsync(1);
            await Expect(alice.SendButton).ToBeEnabledAsync();
        });
    }

    [Fact]
    public async Task PageReattachesByItselfWhenTheApiRestartsMidTurnAndShowsTheTurnResumed()
    {
        var api = await ApiServer.StartAsync();
        try
        {
            await using var session = new BrowserSession(browser.Browser, api, nameof(PageReattachesByItselfWhenTheApiRestartsMidTurnAndShowsTheTurnResumed), output);
            await session.RunAsync(async () =>
            {
                var alice = await session.OpenAsync("alice");
                await alice.SendAsync(BigRefund);
                await Expect(alice.Trail("approval.pending")).ToBeVisibleAsync();
                var approvalId = await alice.Trail("approval.pending").GetAttributeAsync("data-approval-id");

                // The same address, so the open page finds the new process where the old one was.
                api = await api.RestartAsync(new Dictionary<string, string?> { ["Urls"] = $"http://127.0.0.1:{api.BaseAddress.Port}" });

                await Expect(alice.Trail("turn.resumed")).ToContainTextAsync("The Api restarted; the turn was resumed");
                await Expect(alice.Trail("approval.pending")).ToHaveCountAsync(2);
                await Expect(alice.TurnStatus).ToContainTextAsync("waiting for an approver");
                await Expect(alice.SendButton).ToBeDisabledAsync();
                await alice.ScreenshotAsync("1-resumed-after-restart");

                using var bob = api.Client("bob");
                await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "Duplicate confirmed" });

                await Expect(alice.Trail("turn.completed")).ToBeVisibleAsync();
                await Expect(alice.LastReply).ToContainTextAsync("Refunded 150.00 USD for the duplicate charge CH-8 on INV-1006");
                await Expect(alice.SendButton).ToBeEnabledAsync();
                await alice.ScreenshotAsync("2-reply-after-restart");
            });
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
