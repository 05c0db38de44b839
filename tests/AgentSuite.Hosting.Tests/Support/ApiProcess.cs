using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentSuite.Api;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>
/// The Api as its own process, started as Aspire starts a project resource: the built dll, the project folder as the
/// working directory, the AppHost's environment variables, and the <c>ASPNETCORE_URLS</c> Aspire adds for an endpoint.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly ProcessOutput _process;

    private ApiProcess(ProcessOutput process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => _process.Text;

    /// <summary>Starts the Api with <paramref name="variables"/>; <c>Urls</c> names a free port, and <c>ASPNETCORE_URLS</c> another one the Api must ignore.</summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string?> variables)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(ApiServer.RepositoryRoot, "src", "AgentSuite.Api") };
        start.ArgumentList.Add(typeof(AgentSuiteApi).Assembly.Location);
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        start.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_URLS"] = $"http://localhost:{FreePort()}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var api = new ApiProcess(ProcessOutput.Start(start), baseAddress);
        try
        {
            await api._process.WaitHealthyAsync(new Uri(baseAddress, "/alive"), "The Api");
            return api;
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    public HttpClient Client(string user = "alice")
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    public void Dispose() => _process.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
