using AgentSuite.Plugins.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// The built Api as an MCP client launches it: <c>dotnet AgentSuite.Api.dll --mcp-stdio --Key=Value ...</c> in the project
/// folder (its appsettings.json and the repository's prompts), with a fresh data folder, the mock model and the tool
/// servers of plugins/toolservers.json over stdio. Disposing ends the process (stdin closes, the Api stops) and deletes the data folder.
/// </summary>
internal sealed class StdioApi : IAsyncDisposable
{
    private readonly string _dataFolder;
    private readonly List<string> _stderr = [];

    private StdioApi(string dataFolder) => _dataFolder = dataFolder;

    public McpClient Client { get; private set; } = null!;

    /// <summary>Every line the process wrote to stderr so far: its log.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    public static string ContentRoot { get; } = Path.Combine(ApiServer.RepositoryRoot, "src", "AgentSuite.Api");

    /// <summary>The command line after <c>dotnet</c>: the Api's dll, the flag, and each setting as <c>--Key=Value</c>.</summary>
    public static List<string> Arguments(IReadOnlyDictionary<string, string?> settings, string dataFolder) =>
    [
        typeof(ApiApplication).Assembly.Location,
        "--mcp-stdio",
        $"--AgentSuite:DataFolder={dataFolder}",
        "--Governance:Approval:PollInterval=00:00:00.100",
        .. settings.Select(s => $"--{s.Key}={s.Value}"),
    ];

    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static async Task<StdioApi> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var dataFolder = NewDataFolder();
        var api = new StdioApi(dataFolder);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "agentsuite-stdio",
            Command = "dotnet",
            Arguments = Arguments(settings, dataFolder),
            WorkingDirectory = ContentRoot,
            ShutdownTimeout = TimeSpan.FromSeconds(30),
            StandardErrorLines = line =>
            {
                lock (api._stderr)
                {
                    api._stderr.Add(line);
                }
            },
        });
        try
        {
            using var timeout = new CancellationTokenSource(Timeouts.Start);
            api.Client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
            return api;
        }
        catch (Exception e)
        {
            api.DeleteData();
            throw new InvalidOperationException($"The Api did not start over stdio: {e.Message}. Its stderr:\n{api.Stderr}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();

        DeleteData();
    }

    private void DeleteData()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A plugin process that is still exiting may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
