using System.Diagnostics;
using System.Security.Cryptography;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Audit append throughput: <c>appenders</c> concurrent appenders append <c>perAppender</c> entries each, to the
/// hash-chained <see cref="SqliteAuditStore"/>, to the same store with its head anchored outside the database every
/// <see cref="AnchorEveryEntries"/> entries (<see cref="AuditAnchorService"/> with its file sink), and, as baselines, as plain inserts of the same rows into a fresh file
/// of the same schema: (1) on one shared connection behind a lock, (2) with one connection per appender, where
/// SQLite's busy handler makes them take turns. Every way is first warmed up on small files for at least a second
/// (tiered JIT); the chained store and the shared-connection baseline then run <c>repetitions</c> times, interleaved,
/// each on a fresh file, and the median counts; the slow per-connection baseline runs once.
/// </summary>
internal sealed class AuditThroughputBenchmark(TempFolder folder, int appenders, int warmupPerAppender, int repetitions)
{
    public const string Chained = "SqliteAuditStore (hash chain, combined commits)";
    public const string Anchored = "SqliteAuditStore + anchor every 100 entries";
    public const int AnchorEveryEntries = 100;
    public const string PlainShared = "plain INSERT, shared connection + lock";
    public const string PlainPerConnection = "plain INSERT, one connection per appender";

    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(1);

    private delegate Task<(TimeSpan Elapsed, string Check)> Writer(SqliteGovernanceDatabase db, AuditEntry[][] entries);

    public async Task<IReadOnlyList<ThroughputResult>> RunAsync(SqliteDurability durability, int perAppender)
    {
        var warmup = SampleAuditEntries.Create(appenders, warmupPerAppender);
        var entries = SampleAuditEntries.Create(appenders, perAppender);
        var writers = new (string Name, Writer Run, int Repetitions)[]
        {
            (Chained, ChainedAsync, repetitions),
            (Anchored, AnchoredAsync, repetitions),
            (PlainShared, PlainSharedAsync, repetitions),
            (PlainPerConnection, PlainPerConnectionAsync, 1),
        };

        foreach (var writer in writers)
        {
            var warmupTime = Stopwatch.StartNew();
            do
            {
                await writer.Run(Database(durability, "warmup"), warmup);
            }
            while (warmupTime.Elapsed < MinimumWarmup);
        }

        var runs = writers.ToDictionary(w => w.Name, _ => new List<TimeSpan>());
        var checks = writers.ToDictionary(w => w.Name, _ => new List<string>());
        for (var repetition = 0; repetition < repetitions; repetition++)
        {
            foreach (var writer in writers.Where(w => repetition < w.Repetitions))
            {
                GC.Collect();
                var (elapsed, check) = await writer.Run(Database(durability, "measured"), entries);
                runs[writer.Name].Add(elapsed);
                checks[writer.Name].Add(check);
            }
        }

        return writers
            .Select(w => new ThroughputResult(durability, w.Name, appenders, perAppender, runs[w.Name], string.Join("; ", checks[w.Name].Distinct())))
            .ToList();
    }

    private SqliteGovernanceDatabase Database(SqliteDurability durability, string purpose) =>
        new(new SqliteStorageOptions { ConnectionString = folder.NewDatabase($"audit-{purpose}-{Guid.NewGuid():N}"), Durability = durability });

    /// <summary>Appends through the store; the check is the verifier's verdict on the whole chain.</summary>
    private static async Task<(TimeSpan, string)> ChainedAsync(SqliteGovernanceDatabase db, AuditEntry[][] entries)
    {
        using var store = new SqliteAuditStore(db);
        var elapsed = await RunAppendersAsync(entries, async entry => await store.AppendAsync(entry));
        var verification = await AuditVerifier.VerifyAsync(store);
        return (elapsed, Describe(verification, entries));
    }

    /// <summary>
    /// Appends through the anchored store while the anchor service signs and writes the head in the background, as in
    /// the Api; the final anchor at shutdown is not timed. The check is the chain's and the anchor's verdict.
    /// </summary>
    private static async Task<(TimeSpan, string)> AnchoredAsync(SqliteGovernanceDatabase db, AuditEntry[][] entries)
    {
        using var store = new SqliteAuditStore(db);
        using var head = new AuditAnchorHead { EveryEntries = AnchorEveryEntries };
        var anchored = new AnchoredAuditStore(store, head);
        var file = Path.ChangeExtension(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource, ".anchor.json");
        using var service = new AuditAnchorService(anchored, head, new FileAuditAnchorSink(file), new AuditAnchorKey(RandomNumberGenerator.GetBytes(32)),
            TimeProvider.System, NullLogger<AuditAnchorService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var elapsed = await RunAppendersAsync(entries, async entry => await anchored.AppendAsync(entry));
        await service.StopAsync(CancellationToken.None);
        var report = await service.VerifyAsync();
        var expected = entries.Sum(e => (long)e.Length);
        var check = Describe(report.Chain, entries);
        return (elapsed, report.Anchor.Status == AuditAnchorStatus.Matches && report.Anchor.Anchor?.Count == expected
            ? $"{check}, anchor matches"
            : $"{check}, ANCHOR {report.Anchor.Status}: {report.Anchor.Problem}");
    }

    /// <summary>One connection, one prepared INSERT; appenders take an async lock around each autocommit insert.</summary>
    private static async Task<(TimeSpan, string)> PlainSharedAsync(SqliteGovernanceDatabase db, AuditEntry[][] entries)
    {
        using var connection = db.Open();
        using var insert = new PlainAuditInsert(connection);
        using var gate = new SemaphoreSlim(1, 1);
        var elapsed = await RunAppendersAsync(entries, async entry =>
        {
            await gate.WaitAsync();
            try
            {
                insert.Execute(entry);
            }
            finally
            {
                gate.Release();
            }
        });
        return (elapsed, CountRows(db, entries));
    }

    /// <summary>
    /// Each appender on its own thread with its own connection; a busy database makes SQLite's busy handler sleep
    /// and retry (busy_timeout=10000 is set on every connection).
    /// </summary>
    private static async Task<(TimeSpan, string)> PlainPerConnectionAsync(SqliteGovernanceDatabase db, AuditEntry[][] entries)
    {
        using var start = new ManualResetEventSlim();
        using var ready = new CountdownEvent(entries.Length);
        var appenders = entries.Select(mine => Task.Factory.StartNew(
            () =>
            {
                using var connection = db.Open();
                using var insert = new PlainAuditInsert(connection);
                ready.Signal();
                start.Wait();
                foreach (var entry in mine)
                {
                    insert.Execute(entry);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        ready.Wait();
        var stopwatch = Stopwatch.StartNew();
        start.Set();
        await Task.WhenAll(appenders);
        stopwatch.Stop();
        return (stopwatch.Elapsed, CountRows(db, entries));
    }

    /// <summary>Starts one async appender per array at the same moment; the time until the last one is done.</summary>
    private static async Task<TimeSpan> RunAppendersAsync(AuditEntry[][] entries, Func<AuditEntry, Task> append)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appenders = entries.Select(mine => Task.Run(async () =>
        {
            await start.Task;
            foreach (var entry in mine)
            {
                await append(entry);
            }
        })).ToList();
        var stopwatch = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(appenders);
        return stopwatch.Elapsed;
    }

    private static string Describe(AuditVerification verification, AuditEntry[][] entries)
    {
        var expected = entries.Sum(e => (long)e.Length);
        return verification.Ok && verification.Count == expected
            ? $"verified: Ok, {verification.Count:N0} entries"
            : $"verification FAILED: Ok={verification.Ok}, count {verification.Count:N0} of {expected:N0}, {verification.Problem}";
    }

    private static string CountRows(SqliteGovernanceDatabase db, AuditEntry[][] entries)
    {
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_log";
        var count = (long)command.ExecuteScalar()!;
        var expected = entries.Sum(e => (long)e.Length);
        return count == expected ? $"{count:N0} rows" : $"ROW COUNT WRONG: {count:N0} of {expected:N0}";
    }
}
