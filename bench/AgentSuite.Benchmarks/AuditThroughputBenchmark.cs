using System.Diagnostics;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Audit append throughput: <c>appenders</c> concurrent appenders append <c>perAppender</c> entries each, to the
/// hash-chained <see cref="SqliteAuditStore"/> and, as baselines, as plain inserts of the same rows into a fresh file
/// of the same schema: (1) on one shared connection behind a lock, (2) with one connection per appender, where
/// SQLite's busy handler makes them take turns. Every way runs once on a small warm-up file first.
/// </summary>
internal sealed class AuditThroughputBenchmark(TempFolder folder, int appenders, int warmupPerAppender)
{
    public const string Chained = "SqliteAuditStore (hash chain, combined commits)";
    public const string PlainShared = "plain INSERT, shared connection + lock";
    public const string PlainPerConnection = "plain INSERT, one connection per appender";

    public async Task<IReadOnlyList<ThroughputResult>> RunAsync(SqliteDurability durability, int perAppender)
    {
        var warmup = SampleAuditEntries.Create(appenders, warmupPerAppender);
        var entries = SampleAuditEntries.Create(appenders, perAppender);
        var results = new List<ThroughputResult>();
        foreach (var (writer, run) in new (string, Func<SqliteGovernanceDatabase, AuditEntry[][], Task<(TimeSpan Elapsed, string Check)>>)[]
        {
            (Chained, ChainedAsync),
            (PlainShared, PlainSharedAsync),
            (PlainPerConnection, PlainPerConnectionAsync),
        })
        {
            await run(Database(durability, "warmup"), warmup);
            GC.Collect();
            var (elapsed, check) = await run(Database(durability, "measured"), entries);
            results.Add(new ThroughputResult(durability, writer, appenders, perAppender, elapsed, check));
        }

        return results;
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
