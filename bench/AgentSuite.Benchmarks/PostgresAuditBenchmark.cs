using System.Diagnostics;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Sqlite;
using AgentSuite.Tests.Postgres;
using Npgsql;

namespace AgentSuite.Benchmarks;

/// <summary>
/// One audit chain across instances on PostgreSQL: <see cref="Instances"/> instances, each a
/// <see cref="PostgresGovernanceDatabase"/> (its own data source) and a <see cref="PostgresAuditStore"/> (its own writer)
/// in this one process, with <c>appendersPerInstance</c> concurrent appenders on each, against plain inserts of the same
/// rows by the same appenders (each on its own connection from its instance's data source; no chain, no head lock),
/// on one throwaway cluster, each run on a fresh database. For comparison, the same appenders on one SQLite audit store.
/// Every writer is warmed up for at least a second; then they run <c>repetitions</c> times, interleaved, and the median counts.
/// </summary>
internal sealed class PostgresAuditBenchmark(TempFolder folder, int appendersPerInstance, int perAppender, int repetitions)
{
    public const int Instances = 2;
    public const string Chained = "PostgresAuditStore × 2 instances (one chain, head row locked per batch)";
    public const string Plain = "plain INSERT, autocommit, one connection per appender";
    public const string Sqlite = "SqliteAuditStore, one instance (same appenders, one file)";

    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(1);

    private delegate Task<(TimeSpan Elapsed, string Check, double? PerTransaction)> Writer(AuditEntry[][] entries);

    public async Task<IReadOnlyList<PostgresAuditResult>> RunAsync()
    {
        var cluster = await PostgresCluster.GetAsync();
        var appenders = Instances * appendersPerInstance;
        var warmup = SampleAuditEntries.Create(appenders, 50);
        var entries = SampleAuditEntries.Create(appenders, perAppender);
        var writers = new (string Name, Writer Run)[]
        {
            (Chained, e => ChainedAsync(cluster, e)),
            (Plain, e => PlainAsync(cluster, e)),
            (Sqlite, SqliteAsync),
        };

        foreach (var writer in writers)
        {
            var warmupTime = Stopwatch.StartNew();
            do
            {
                await writer.Run(warmup);
            }
            while (warmupTime.Elapsed < MinimumWarmup);
        }

        var runs = writers.ToDictionary(w => w.Name, _ => new List<TimeSpan>());
        var checks = writers.ToDictionary(w => w.Name, _ => new List<string>());
        var perTransaction = writers.ToDictionary(w => w.Name, _ => new List<double>());
        for (var repetition = 0; repetition < repetitions; repetition++)
        {
            foreach (var writer in writers)
            {
                GC.Collect();
                var (elapsed, check, batch) = await writer.Run(entries);
                runs[writer.Name].Add(elapsed);
                checks[writer.Name].Add(check);
                if (batch is { } size)
                {
                    perTransaction[writer.Name].Add(size);
                }
            }
        }

        return writers.Select(w => new PostgresAuditResult(w.Name, (long)appenders * perAppender, runs[w.Name], string.Join("; ", checks[w.Name].Distinct()), perTransaction[w.Name])).ToList();
    }

    /// <summary>Appender <c>a</c> appends through instance <c>a / appendersPerInstance</c>; the check walks the whole chain and matches every returned record.</summary>
    private async Task<(TimeSpan, string, double?)> ChainedAsync(PostgresCluster cluster, AuditEntry[][] entries)
    {
        var connectionString = await cluster.CreateDatabaseAsync("pgaudit");
        var databases = Enumerable.Range(0, Instances).Select(_ => new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString })).ToList();
        var stores = databases.Select(db => new PostgresAuditStore(db)).ToList();
        var returned = new AuditRecord[entries.Length][];
        try
        {
            var elapsed = await RunAppendersAsync(entries, a =>
            {
                var store = stores[a / appendersPerInstance];
                returned[a] = new AuditRecord[entries[a].Length];
                var i = 0;
                return async entry => returned[a][i++] = await store.AppendAsync(entry);
            });
            var (check, perTransaction) = await CheckAsync(databases[0], stores[0], entries, returned);
            return (elapsed, check, perTransaction);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    private async Task<(TimeSpan, string, double?)> PlainAsync(PostgresCluster cluster, AuditEntry[][] entries)
    {
        var connectionString = await cluster.CreateDatabaseAsync("pgplain");
        var databases = Enumerable.Range(0, Instances).Select(_ => new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString })).ToList();
        try
        {
            await using (var create = databases[0].DataSource.CreateCommand(PlainPostgresAuditInsert.CreateTableSql))
            {
                await create.ExecuteNonQueryAsync();
            }

            // Connections are opened and the statement prepared before the clock starts, as the chained writers' are after their first batch.
            var inserts = await Task.WhenAll(Enumerable.Range(0, entries.Length).Select(a => PlainPostgresAuditInsert.OpenAsync(databases[a / appendersPerInstance].DataSource)));
            var elapsed = await RunAppendersAsync(entries, a => inserts[a].ExecuteAsync);
            foreach (var insert in inserts)
            {
                await insert.DisposeAsync();
            }

            await using var count = databases[0].DataSource.CreateCommand("SELECT count(*) FROM audit_plain");
            return (elapsed, $"{(long)(await count.ExecuteScalarAsync())!:N0} rows", 1);
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    private async Task<(TimeSpan, string, double?)> SqliteAsync(AuditEntry[][] entries)
    {
        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = folder.NewDatabase($"pgaudit-sqlite-{Guid.NewGuid():N}") });
        using var store = new SqliteAuditStore(db);
        var elapsed = await RunAppendersAsync(entries, _ => async entry => await store.AppendAsync(entry));
        var verification = await AuditVerifier.VerifyAsync(store);
        return (elapsed, verification.Ok ? $"verified: Ok, {verification.Count:N0} entries" : $"verification FAILED: {verification.Problem}", null);
    }

    private static async Task<(string Check, double PerTransaction)> CheckAsync(PostgresGovernanceDatabase db, PostgresAuditStore store, AuditEntry[][] entries, AuditRecord[][] returned)
    {
        // Each row's xmin is the transaction that inserted it: one per batch.
        await using var transactions = db.DataSource.CreateCommand("SELECT count(DISTINCT xmin::text) FROM audit_log");
        var batches = (long)(await transactions.ExecuteScalarAsync())!;
        var expected = entries.Sum(e => (long)e.Length);
        var verification = await AuditVerifier.VerifyAsync(store);
        var hashes = returned.SelectMany(r => r).ToDictionary(r => r.Seq, r => r.Hash);
        var matched = 0L;
        await foreach (var record in store.ReadAsync(new AuditQuery()))
        {
            matched += hashes.TryGetValue(record.Seq, out var hash) && hash == record.Hash ? 1 : 0;
        }

        var check = verification.Ok && verification.Count == expected && matched == expected
            ? $"verified: Ok, seq 1..{expected:N0}, every returned hash found"
            : $"FAILED: Ok={verification.Ok}, count {verification.Count:N0} of {expected:N0}, {matched:N0} returned hashes found, {verification.Problem}";
        return (check, (double)expected / batches);
    }

    /// <summary>Starts every appender at once; <paramref name="appender"/> gives appender <c>a</c> its append function.</summary>
    private static async Task<TimeSpan> RunAppendersAsync(AuditEntry[][] entries, Func<int, Func<AuditEntry, Task>> appender)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = entries.Select((mine, a) =>
        {
            var append = appender(a);
            return Task.Run(async () =>
            {
                await start.Task;
                foreach (var entry in mine)
                {
                    await append(entry);
                }
            });
        }).ToList();
        var stopwatch = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(tasks);
        return stopwatch.Elapsed;
    }
}
