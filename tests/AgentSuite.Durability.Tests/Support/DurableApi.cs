namespace AgentSuite.Durability.Tests.Support;

/// <summary>
/// The real Api as its own process, as a person runs its build (<c>dotnet AgentSuite.Api.dll</c> in the project folder,
/// settings in environment variables), on a fresh data folder and a free 127.0.0.1 port, with the durability script
/// and random call ids. <see cref="CrashAndRestartAsync"/> SIGKILLs it with its plugins and starts it again on the
/// same folder and port. Dispose kills whatever still runs and removes the folder.
/// </summary>
public sealed class DurableApi : IDisposable
{
    private readonly Dictionary<string, string?> _variables;
    private ChildProcess? _process;
    private string _earlierOutput = "";

    private DurableApi(string dataFolder, int port, Dictionary<string, string?> variables)
    {
        DataFolder = dataFolder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _variables = variables;
    }

    public string DataFolder { get; }

    /// <summary>The running Api's process id.</summary>
    public int ProcessId => _process!.Id;

    public Uri BaseAddress { get; }

    /// <summary>Billing's own SQLite file when the Api runs its embedded plugins (<c>EmbeddedPlugins</c>: the data folder's billing.db).</summary>
    public string BillingFile => Path.Combine(DataFolder, "billing.db");

    /// <summary>What every start of the Api printed so far, for failure messages.</summary>
    public string Output => _earlierOutput + (_process?.Output ?? "");

    /// <summary>
    /// Starts the Api with its embedded plugins, the durability script and random call ids; <paramref name="settings"/>
    /// (configuration keys, <c>:</c> or <c>__</c>) are added as environment variables and win.
    /// <paramref name="dataFolder"/> lets a test place files (a plugin's data) in the folder before the Api starts.
    /// </summary>
    public static async Task<DurableApi> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataFolder = null)
    {
        dataFolder ??= NewDataFolder();
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = "",
            ["AgentSuite__DataFolder"] = dataFolder,
            ["Model__Script"] = Built.Script,
            ["Model__CallIds"] = "random",
            ["Governance__Approval__PollInterval"] = "00:00:00.100",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AgentSuite"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            variables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var api = new DurableApi(dataFolder, FreePort.Next(), variables);
        api._variables["ASPNETCORE_URLS"] = api.BaseAddress.ToString().TrimEnd('/');
        try
        {
            await api.StartProcessAsync();
            return api;
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-durability-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// SIGKILLs the Api and every process under it (its plugins), checks none survived, and starts the Api again on the
    /// same data folder and port; returns how many processes were killed.
    /// </summary>
    public async Task<int> CrashAndRestartAsync()
    {
        var killed = _process!.KillHard();
        _earlierOutput += _process.Output + $"---- SIGKILL of the Api and {killed - 1} processes under it ----\n";
        _process.Dispose();
        _process = null;
        await StartProcessAsync();
        return killed;
    }

    /// <summary>SIGKILLs the Api and every process under it, as <see cref="CrashAndRestartAsync"/> does, and leaves it down; returns how many processes were killed.</summary>
    public int Kill()
    {
        var killed = _process!.KillHard();
        _earlierOutput += _process.Output + $"---- SIGKILL of the Api and {killed - 1} processes under it ----\n";
        _process.Dispose();
        _process = null;
        return killed;
    }

    /// <summary>A client in demo mode acting as <paramref name="user"/> (header <c>X-User</c>, sent on every request).</summary>
    public HttpClient Client(string user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    public void Dispose()
    {
        try
        {
            _process?.Dispose();
        }
        finally
        {
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder: a process of another test may still hold a file; nothing depends on it.
            }
        }
    }

    private async Task StartProcessAsync()
    {
        _process = ChildProcess.Start("The Api", Built.Api, Path.Combine(Built.RepositoryRoot, "src", "AgentSuite.Api"), _variables);
        await _process.WaitAnswersAsync(new Uri(BaseAddress, "/health"));
    }
}
