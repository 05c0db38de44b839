using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// The real Api, in process, on real Kestrel at http://127.0.0.1 on a port Kestrel picks: its own appsettings.json
/// and wwwroot (the content root is src/AgentSuite.Api, as with dotnet run), the repository's prompts, the mock model,
/// the tool servers of plugins/toolservers.json over stdio, and a fresh data folder in the temp folder. Settings given here win.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataFolder;
    private bool _keepData;
    private bool _disposed;

    private ApiServer(WebApplication app, Uri baseAddress, string dataFolder)
    {
        _app = app;
        BaseAddress = baseAddress;
        _dataFolder = dataFolder;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The folder holding the Api's SQLite store and each tool server's data file (NAME.db, e.g. billing.db).</summary>
    public string DataFolder => _dataFolder;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Starts the Api in <paramref name="environment"/> (Production unless given).</summary>
    public static async Task<ApiServer> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, string? environment = null, string? dataFolder = null)
    {
        dataFolder ??= Path.Combine(Path.GetTempPath(), "agentsuite-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["AgentSuite:DataFolder"] = dataFolder,
            ["Agents:PromptsFolder"] = Path.Combine(RepositoryRoot, "prompts"),
            ["Governance:Approval:PollInterval"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = ApiApplication.Build(
            new WebApplicationOptions { ContentRootPath = Path.Combine(RepositoryRoot, "src", "AgentSuite.Api"), EnvironmentName = environment ?? Environments.Production },
            builder =>
            {
                configure?.Invoke(builder);
                builder.Configuration.AddInMemoryCollection(values);
            });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ApiServer(app, new Uri(app.Urls.Single()), dataFolder);
    }

    /// <summary>A client in local demo mode, acting as <paramref name="user"/> (header X-User).</summary>
    public HttpClient Client(string user = "alice")
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    /// <summary>A client presenting an API key (header X-Api-Key), for an Api started with Auth:Keys.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>
    /// Stops this Api as a host stops it (SIGTERM: its running turns stop where they are) and starts another on the same
    /// data folder, on a new port; this one is disposed, its data kept. <paramref name="whileStopped"/> runs on the data
    /// folder in between (to change a store's file as an earlier version of the app would have left it).
    /// </summary>
    public async Task<ApiServer> RestartAsync(IDictionary<string, string?>? settings = null, Action<string>? whileStopped = null, Action<WebApplicationBuilder>? configure = null)
    {
        _keepData = true;
        await DisposeAsync();
        whileStopped?.Invoke(_dataFolder);
        return await StartAsync(settings, configure, dataFolder: _dataFolder);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                if (!_keepData)
                {
                    Directory.Delete(_dataFolder, recursive: true);
                }
            }
            catch (IOException)
            {
                // A plugin process that is still exiting may hold its file a moment longer; the temp folder is cleaned eventually.
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSuite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AgentSuite.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
