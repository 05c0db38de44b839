using AgentSuite.Tests.Postgres;
using Npgsql;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Turns per second through the HTTP API with one and then two Api instances (their own processes) on one PostgreSQL
/// database, sharing Billing, CRM and Policy over HTTP, turns going round-robin to the instances; first, for reference,
/// one instance on its own SQLite file with the same plugin servers. The turn is read-only (turn-script.yaml: a
/// hand-off and two read-only MCP calls), so every turn does the same work. A newly started instance first runs turns
/// at the highest concurrency for <see cref="JitWarmup"/> (tiered JIT and PGO in it and in the plugins: a second
/// instance started later would still be compiling while the first is warm); then each level is warmed up for
/// <c>warmup</c> and timed for <c>duration</c>.
/// </summary>
internal sealed class ClusterBenchmark(TimeSpan warmup, TimeSpan duration)
{
    public const string Message = "Is the duplicate charge on INV-1002 refundable?";
    public const string ExpectedReply = "The duplicate charge CH-2 on INV-1002 is in the";

    private static readonly TimeSpan JitWarmup = TimeSpan.FromSeconds(20);

    public async Task<(List<ClusterLevelResult> Levels, List<(bool Ok, long Count, string? Problem)> Audits)> RunAsync(TempFolder folder, IReadOnlyList<int> concurrencies)
    {
        var cluster = await PostgresCluster.GetAsync();
        var database = await cluster.CreateDatabaseAsync("bench_cluster");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.Folder, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        await using var plugins = await HttpPluginServers.StartAsync(folder.NewFolder("cluster-plugins"));
        var settings = new Dictionary<string, string?>(plugins.ApiSettings)
        {
            ["Storage:Provider"] = "Postgres",
            ["Model:Script"] = Path.Combine(AppContext.BaseDirectory, "turn-script.yaml"),
            ["Governance:Audit:Anchor:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Governance"] = database };

        var results = new List<ClusterLevelResult>();
        using var poller = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // For reference: one instance on its own SQLite file, with the same shared plugin servers.
        var onSqlite = new Dictionary<string, string?>(settings) { ["Storage:Provider"] = "Sqlite" };
        await using (var lone = ApiProcess.Start(folder.NewFolder("cluster-sqlite"), limitsOff: false, onSqlite))
        {
            await lone.WaitUntilHealthyAsync(poller, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(90));
            using var client = new ApiTurnClient([lone.BaseAddress], 2 * concurrencies.Max(), Message, ExpectedReply);
            await client.TurnAsync();
            await MeasureAsync("SQLite", client, [lone], plugins, postmaster, database, concurrencies, results);
        }

        await using var a = ApiProcess.Start(folder.NewFolder("cluster-a"), limitsOff: false, settings, environment);
        await a.WaitUntilHealthyAsync(poller, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(90));
        using (var one = new ApiTurnClient([a.BaseAddress], 2 * concurrencies.Max(), Message, ExpectedReply))
        {
            await one.TurnAsync();
            await MeasureAsync("PostgreSQL", one, [a], plugins, postmaster, database, concurrencies, results);
        }

        await using var b = ApiProcess.Start(folder.NewFolder("cluster-b"), limitsOff: false, settings, environment);
        await b.WaitUntilHealthyAsync(poller, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(90));
        using var two = new ApiTurnClient([a.BaseAddress, b.BaseAddress], 2 * concurrencies.Max(), Message, ExpectedReply);
        await two.TurnAsync();
        await two.TurnAsync();
        await MeasureAsync("PostgreSQL", two, [a, b], plugins, postmaster, database, concurrencies, results);
        return (results, [await two.VerifyAuditAsync(0), await two.VerifyAuditAsync(1)]);
    }

    private async Task MeasureAsync(string store, ApiTurnClient client, ApiProcess[] instances, HttpPluginServers plugins, int postmaster, string database, IReadOnlyList<int> concurrencies, List<ClusterLevelResult> results)
    {
        await ConcurrentTurns.ForAsync(client, concurrencies.Max(), JitWarmup);
        foreach (var concurrency in concurrencies)
        {
            await ConcurrentTurns.ForAsync(client, concurrency, warmup);
            GC.Collect();
            var transactions = await TransactionsAsync(database);
            var before = ClusterCpu.Take(instances.Select(i => i.Pid), plugins.Pids, postmaster);
            var (ticks, elapsed) = await ConcurrentTurns.ForAsync(client, concurrency, duration);
            var cpu = ClusterCpu.Take(instances.Select(i => i.Pid), plugins.Pids, postmaster) - before;
            transactions = await TransactionsAsync(database) - transactions;
            results.Add(new ClusterLevelResult(store, instances.Length, concurrency, ticks.Length, elapsed, LatencySummary.From(ticks), cpu, transactions));
        }
    }

    // Each backend reports its counts at most once a second, so a 10 s window is short of up to a second of them.
    private static async Task<long> TransactionsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
