using AgentSuite.Durability.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Durability.Tests.Cluster.Support;

/// <summary>
/// Each tool server project of plugins/toolservers.json runs once as its own process over Streamable HTTP
/// (<c>--http --urls … --data …</c>), each with one SQLite file, as several Api instances must share them: a refund is
/// paid in one billing file whichever instance pays it. Dispose kills them all and removes their folder.
/// </summary>
public sealed class SharedPluginServers : IDisposable
{
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

    /// <summary>Starts every listed server at once, each on a free loopback port, and returns once each answers /health.</summary>
    public static async Task<SharedPluginServers> StartAsync()
    {
        var servers = new SharedPluginServers(DurableApi.NewDataFolder());
        try
        {
            var ready = new List<Task>();
            foreach (var (server, assembly) in ToolServersFile.Projects)
            {
                var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
                var process = ChildProcess.Start(
                    $"The {server} tool server", Built.ToolServer(assembly), servers.Folder,
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
