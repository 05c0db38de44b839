using Microsoft.Playwright;

namespace AgentSuite.Browser.Tests.Support;

/// <summary>
/// One headless Chromium for the whole run: Debian's (the <c>chromium</c> package, which .ci/run installs), driven by
/// the Playwright driver that ships inside the Microsoft.Playwright package. Playwright's own browser download is
/// never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing. Install Debian's Chromium (apt-get install -y chromium), as .ci/run does.");
        }

        // Every Expect waits up to 30 s: a turn starts three plugin processes on its first call.
        Assertions.SetDefaultExpectTimeout((float)Timeouts.Wait.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"],
            Timeout = (float)Timeouts.Wait.TotalMilliseconds,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
