using AgentSuite.Api.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentSuite.Browser.Tests.Support;

/// <summary>
/// One test's people, each in their own browser context on the same Api. Screenshots go to
/// <see cref="Screenshots.Folder"/>; a failing test leaves a screenshot of every page, and a script error on any page,
/// or anything the page's content security policy blocked, fails the test.
/// </summary>
public sealed class BrowserSession(IBrowser browser, ApiServer api, string test, ITestOutputHelper output) : IAsyncDisposable
{
    /// <summary>The policy the page is served with, and must work under.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; object-src 'none'";

    private readonly List<(IBrowserContext Context, AppPage Page, string User)> _people = [];
    private readonly List<string> _scriptErrors = [];

    /// <summary>Opens the page in a fresh browser context; demo mode starts as alice, so any other name is switched to.</summary>
    public async Task<AppPage> OpenAsync(string user)
    {
        var app = await OpenAnonymousAsync(user);
        var page = app.Page;
        await Expect(page.Locator("body[data-user]:not([data-user=''])")).ToHaveCountAsync(1);
        if (await page.Locator("#user-name").InputValueAsync() != user)
        {
            await app.ActAsAsync(user);
        }

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-user", user);
        return app;
    }

    /// <summary>Opens the page in a fresh browser context, as someone the page does not know yet.</summary>
    public async Task<AppPage> OpenAnonymousAsync(string label = "anonymous")
    {
        var context = await browser.NewContextAsync(new() { BaseURL = api.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 960 } });
        context.SetDefaultTimeout((float)Timeouts.Wait.TotalMilliseconds);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => _scriptErrors.Add($"{label}: {error}");

        // Chromium reports what the content security policy blocked (an inline script, style or handler) on the console.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _scriptErrors.Add($"{label}: {message.Text}");
            }
        };
        var app = new AppPage(page, this);
        _people.Add((context, app, label));
        var response = await page.GotoAsync("/");
        Assert.Equal(ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
        return app;
    }

    public async Task ScreenshotAsync(IPage page, string step)
    {
        var path = Screenshots.PathFor(test, step);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Runs the test's steps; on failure, screenshots every page before the failure is reported.</summary>
    public async Task RunAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            foreach (var (_, page, user) in _people)
            {
                try
                {
                    await ScreenshotAsync(page.Page, $"failed.{user}");
                }
                catch (PlaywrightException ex)
                {
                    output.WriteLine($"No failure screenshot of {user}'s page: {ex.Message}");
                }
            }

            throw;
        }

        Assert.True(_scriptErrors.Count == 0, "The page threw: " + string.Join(Environment.NewLine, _scriptErrors));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (context, _, _) in _people)
        {
            await context.DisposeAsync();
        }
    }
}
