using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Hosting.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Hosting.Tests;

/// <summary>
/// The built Api, started as <c>dotnet AgentSuite.Api.dll</c> with no launch profile, listens where ASP.NET Core's
/// standard settings say, each on a free port, and its start-up log says where and which setting decided. A second free
/// port given through a weaker setting shows the precedence.
/// </summary>
public sealed class ApiAddressTests : IDisposable
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-hosting-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ApiListensWhereAspNetCoreUrlsSays()
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";

        using var api = await StartAsync(url, new() { ["ASPNETCORE_URLS"] = url });

        await AssertListeningAsync(api, "urls", url);
    }

    [Fact]
    public async Task ApiListensOnTheAspNetCoreHttpPort()
    {
        // As in a container image: the port alone, bound on every interface (IPv6 and IPv4, or IPv4 alone on a host
        // without IPv6); the test reaches it over loopback.
        var port = ServerProcess.FreePort();

        using var api = await StartAsync($"http://127.0.0.1:{port}", new() { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() });

        await AssertListeningAsync(api, "http_ports", $"http://[::]:{port}", $"http://0.0.0.0:{port}");
    }

    [Fact]
    public async Task UrlsArgumentWinsOverAspNetCoreUrls()
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";

        using var api = await StartAsync(url, new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ServerProcess.FreePort()}" }, ["--urls", url]);

        await AssertListeningAsync(api, "urls", url);
    }

    [Fact]
    public async Task KestrelEndpointsWinOverAspNetCoreUrls()
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";

        using var api = await StartAsync(url, new()
        {
            ["Kestrel__Endpoints__Http__Url"] = url,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ServerProcess.FreePort()}",
        });

        await AssertListeningAsync(api, "Kestrel:Endpoints", url);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A plugin that has just been killed may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }

    /// <summary>The Api on its embedded defaults (plugins over stdio) in a fresh data folder, with the address settings given.</summary>
    private Task<ApiProcess> StartAsync(string expectedUrl, Dictionary<string, string?> address, IReadOnlyList<string>? arguments = null)
    {
        address["AgentSuite__DataFolder"] = _dataFolder;
        address["Logging__LogLevel__AgentSuite.Api"] = "Information";
        return ApiProcess.StartListeningAsync(new Uri(expectedUrl), address, arguments);
    }

    /// <summary>The Api answers, and its log says it listens on one of <paramref name="listening"/>, set by <paramref name="decidedBy"/>.</summary>
    private static async Task AssertListeningAsync(ApiProcess api, string decidedBy, params string[] listening)
    {
        using var alice = api.Client("alice");
        var me = await alice.GetJsonAsync("/api/me");
        Assert.Equal("alice", me.GetProperty("name").GetString());

        await api.WaitForOutputAsync(new Regex($@"Listening on ({string.Join('|', listening.Select(Regex.Escape))}) \(set by {Regex.Escape(decidedBy)}\)"));
    }
}
