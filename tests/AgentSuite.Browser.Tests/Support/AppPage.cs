using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests.Support;

/// <summary>The web page as one person sees it in their own browser context, with the steps the tests take on it.</summary>
public sealed class AppPage(IPage page, BrowserSession session)
{
    public IPage Page { get; } = page;

    public ILocator SendButton => Page.Locator("#send");

    public ILocator TurnStatus => Page.Locator("#turn-status");

    /// <summary>The note under the send box while a turn is under way.</summary>
    public ILocator BusyNote => Page.Locator("#composer-busy");

    public ILocator LastReply => Page.Locator("#messages .message.assistant").Last;

    /// <summary>A step of the live turn trail, by event type (agent.started, tool.decision, approval.pending, ...).</summary>
    public ILocator Trail(string eventType) => Page.Locator($"#trail [data-event='{eventType}']");

    /// <summary>The trail's block for one tool call, by its server/tool name.</summary>
    public ILocator TrailCall(string tool) => Page.Locator($"#trail .call[data-tool='{tool}']");

    public ILocator ApprovalCard(string tool) => Page.Locator($"#approvals-list .approval[data-tool='{tool}']");

    public async Task OpenTabAsync(string tab)
    {
        await Page.Locator($"nav [data-tab='{tab}']").ClickAsync();
        await Expect(Page.Locator($"[data-view='{tab}'] .content")).ToBeVisibleAsync();
    }

    /// <summary>Picks a name with the page's demo-mode switch, and waits until the page acts as it.</summary>
    public async Task ActAsAsync(string user)
    {
        await Page.Locator("#user-name").SelectOptionAsync(user);
        await Expect(Page.Locator($"body[data-user='{user}']")).ToHaveCountAsync(1);
    }

    public async Task SendAsync(string text)
    {
        await OpenTabAsync("chat");
        await Page.Locator("#message").FillAsync(text);
        await SendButton.ClickAsync();
    }

    public Task ScreenshotAsync(string step) => session.ScreenshotAsync(Page, step);
}
