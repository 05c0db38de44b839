using AgentSuite.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.EndToEnd.Tests.Support;

/// <summary>
/// The real Api, in process, on real Kestrel at http://127.0.0.1 on a port Kestrel picks, as dotnet run starts it: its
/// own appsettings.json (content root src/AgentSuite.Api), the repository's prompts, the mock model, the tool servers
/// of plugins/toolservers.json over stdio, and a fresh data folder in the temp folder, deleted on dispose.
/// </summary>
public sealed class DeskApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataFolder;

    private DeskApi(WebApplication app, string dataFolder)
    {
        _app = app;
        _dataFolder = dataFolder;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public Uri BaseAddress { get; }

    public static async Task<DeskApi> StartAsync()
    {
        var root = RepositoryRoot();
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-end-to-end-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var app = ApiApplication.Build(
            new WebApplicationOptions { ContentRootPath = Path.Combine(root, "src", "AgentSuite.Api"), EnvironmentName = Environments.Production },
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["AgentSuite:DataFolder"] = dataFolder,
                ["Agents:PromptsFolder"] = Path.Combine(root, "prompts"),
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new DeskApi(app, dataFolder);
    }

    /// <summary>A client in local demo mode acting as <paramref name="user"/> (header X-User).</summary>
    public HttpClient Client(string user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    /// <summary>The folder holding the solution file, found upwards from the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln").Any())
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No solution file above {AppContext.BaseDirectory}.");
    }
}
