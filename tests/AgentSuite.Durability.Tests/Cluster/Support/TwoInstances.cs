using AgentSuite.Durability.Tests.Support;
using AgentSuite.Tests.Postgres;

namespace AgentSuite.Durability.Tests.Cluster.Support;

/// <summary>
/// Two real Api processes, A and B, on one fresh PostgreSQL database of the test process's throwaway cluster, sharing the
/// tool servers of plugins/toolservers.json over HTTP, each with its own data folder and port, and the same API keys. A
/// turn's lease lasts 3 s, so an instance that dies leaves its turns to the other within seconds. Dispose kills
/// everything it started.
/// </summary>
public sealed class TwoInstances : IDisposable
{
    /// <summary>How long an instance's hold on a turn lasts without renewal (Storage:Postgres:TurnLeaseSeconds).</summary>
    public const int TurnLeaseSeconds = 3;

    private readonly List<DurableApi> _instances = [];

    private TwoInstances(SharedPluginServers plugins, string connectionString)
    {
        Plugins = plugins;
        ConnectionString = connectionString;
    }

    public DurableApi A => _instances[0];

    public DurableApi B => _instances[1];

    public SharedPluginServers Plugins { get; }

    /// <summary>The database both instances share (Npgsql form).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Creates the database, starts the plugin servers, then A and B at once (two instances creating the schema together);
    /// <paramref name="settings"/> are added to both instances' settings.
    /// </summary>
    public static async Task<TwoInstances> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("cluster");
        var run = new TwoInstances(await SharedPluginServers.StartAsync(), database);
        try
        {
            var a = DurableApi.StartAsync(run.Settings(settings));
            var b = DurableApi.StartAsync(run.Settings(settings));
            await StartedAsync(run, a, b);
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>One more instance on the same database and plugin servers (<paramref name="settings"/> win), stopped with the others.</summary>
    public async Task<DurableApi> StartInstanceAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var instance = await DurableApi.StartAsync(Settings(settings));
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The Api settings of an instance of this run: PostgreSQL by a connection string in the environment, the shared plugins, the keys, the cluster script.</summary>
    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Governance"] = ConnectionString,
            ["Storage:Postgres:TurnLeaseSeconds"] = TurnLeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Model:Script"] = Built.ClusterScript,

            // One anchor key for the instances sharing the chain, so each checks the anchors the others publish.
            ["Governance:Audit:Anchor:Key"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        };
        foreach (var (key, value) in Plugins.ApiSettings.Concat(ClusterCallers.ApiSettings).Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>What both instances and the plugin servers printed, for failure messages.</summary>
    public string Describe() =>
        string.Join("\n", _instances.Select((api, i) => $"---- instance {(char)('A' + i)} ----\n{Tail(api.Output)}")) + $"\n---- plugin servers ----\n{Tail(Plugins.Output)}";

    public void Dispose()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        Plugins.Dispose();
    }

    private static async Task StartedAsync(TwoInstances run, Task<DurableApi> a, Task<DurableApi> b)
    {
        try
        {
            await Task.WhenAll(a, b);
        }
        finally
        {
            // Whichever started is stopped with the run, even when the other did not.
            foreach (var started in new[] { a, b }.Where(t => t.IsCompletedSuccessfully))
            {
                run._instances.Add(started.Result);
            }
        }
    }

    private static string Tail(string output) => output[Math.Max(0, output.Length - 4000)..];
}
