using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests.Cluster.Support;

/// <summary>
/// Billing, CRM and Policy each run once as their own process over Streamable HTTP (<c>--http --urls … --data …</c>),
/// each with one SQLite file, as several Api instances must share them: a refund is paid in one billing file whichever
/// instance pays it. Dispose kills the three and removes their folder.
/// </summary>
public sealed class SharedPluginServers : IDisposable
{
    private static readonly (string Server, Func<string> Dll)[] Plugins =
    [
        ("billing", () => Built.BillingServer),
        ("crm", () => Built.CrmServer),
        ("policy", () => Built.PolicyServer),
    ];

    private readonly List<ChildProcess> _processes = [];
    private readonly Dictionary<string, Uri> _urls = new(StringComparer.Ordinal);

    private SharedPluginServers(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>Billing's own SQLite file: what was really paid, whichever instance paid it.</summary>
    public string BillingFile => Path.Combine(Folder, "billing.db");

    /// <summary>The Api settings that point an instance at these servers (<c>Mcp:Servers:NAME:Url</c>), which also turn its embedded plugins off.</summary>
    public IReadOnlyDictionary<string, string?> ApiSettings =>
        _urls.ToDictionary(u => $"Mcp:Servers:{u.Key}:Url", u => (string?)new Uri(u.Value, "/mcp").ToString(), StringComparer.Ordinal);

    public string Output => string.Join("\n", _processes.Select(p => p.Output));

    /// <summary>Starts the three servers at once, each on a free loopback port, and returns once each answers /health.</summary>
    public static async Task<SharedPluginServers> StartAsync()
    {
        var servers = new SharedPluginServers(DurableApi.NewDataFolder());
        try
        {
            var ready = new List<Task>();
            foreach (var (server, dll) in Plugins)
            {
                var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
                var process = ChildProcess.Start(
                    $"The {server} plugin server", dll(), servers.Folder,
                    new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning" },
                    "--http", "--urls", url.ToString().TrimEnd('/'), "--data", Path.Combine(servers.Folder, server + ".db"));
                servers._processes.Add(process);
                servers._urls[server] = url;
                ready.Add(process.WaitAnswersAsync(new Uri(url, "/health")));
            }

            await Task.WhenAll(ready);
            return servers;
        }
        catch
        {
            servers.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; nothing depends on it.
        }
    }
}
