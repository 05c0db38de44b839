using System.Diagnostics;
using System.Globalization;
using AgentSuite.Governance;
using AgentSuite.Governance.Limits;
using AgentSuite.Storage.Postgres;
using AgentSuite.Tests.Postgres;

namespace AgentSuite.Benchmarks;

/// <summary>
/// What the limits stage adds to one governed tool call with its counts in memory (one instance) and in PostgreSQL
/// (shared by instances): the count the limits filter makes per call, a loop counter and three windows (conversation,
/// principal, conversation + agent + tool), on a throwaway PostgreSQL cluster on loopback. Sequential calls give the
/// latency; 16 callers over two instances (two data sources) give the rate with the principal's window as the hot row.
/// </summary>
internal static class LimitCountersBenchmark
{
    private const int Warmup = 1_000;
    private const int MemoryCalls = 50_000;
    private const int PostgresCalls = 5_000;
    private const int Callers = 16;
    private const int CallsPerCaller = 500;
    private const int Unlimited = 1_000_000;

    public static async Task RunAsync()
    {
        Console.WriteLine("## Limits across instances: the limits stage's count per governed tool call, in memory and in PostgreSQL");
        Console.WriteLine();
        var runs = Enumerable.Range(0, (Warmup + MemoryCalls) / 8 + 1)
            .Select(r => new AgentRunContext($"conv-{r % 64}", $"run-{r}", "billing", new Principal("bench", "user")))
            .ToArray();

        var memory = new MemoryLimitCounters(TimeProvider.System);
        var (memoryLatency, memoryBytes) = await SequentialAsync(memory, runs, MemoryCalls);

        var cluster = await PostgresCluster.GetAsync();
        var connectionString = await cluster.CreateDatabaseAsync("limits");
        await using var first = new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        await using var second = new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        var a = new PostgresLimitCounters(first);
        var b = new PostgresLimitCounters(second);
        var (postgresLatency, postgresBytes) = await SequentialAsync(a, runs, PostgresCalls);
        var (rate, admitted) = await ConcurrentAsync([a, b], runs);
        var roundTrip = await RoundTripAsync(first);

        var table = new MarkdownTable("Counters", "Calls:", "Median µs:", "p90 µs:", "p99 µs:", "Mean µs:", "Allocated B/call:");
        table.Add("in memory (MemoryLimitCounters)", N(MemoryCalls), F(memoryLatency.MedianUs, 2), F(memoryLatency.P90Us, 2), F(memoryLatency.P99Us, 2), F(memoryLatency.MeanUs, 2), N(memoryBytes));
        table.Add("PostgreSQL (PostgresLimitCounters, one statement)", N(PostgresCalls), F(postgresLatency.MedianUs), F(postgresLatency.P90Us), F(postgresLatency.P99Us), F(postgresLatency.MeanUs), N(postgresBytes));
        table.Add("for scale: a bare `SELECT 1` round trip on the same pool", N(PostgresCalls), F(roundTrip.MedianUs), F(roundTrip.P90Us), F(roundTrip.P99Us), F(roundTrip.MeanUs), "");
        Console.WriteLine(table);
        Console.WriteLine($"- added per governed call by keeping the counts in PostgreSQL: {F(postgresLatency.MedianUs - memoryLatency.MedianUs)} µs at the median, {F(postgresLatency.P99Us - memoryLatency.P99Us)} µs at p99");
        Console.WriteLine($"- {Callers} callers on 2 instances, {N(Callers * CallsPerCaller)} calls sharing one principal window: {N(rate)} counts/s, {N(admitted)} admitted (every one: the limits are {N(Unlimited)})");
        Console.WriteLine();
    }

    private static LimitCheck Check(AgentRunContext[] runs, int i) => new(
        runs[i / 8],
        new LoopCall("billing/get_invoice", $"hash-{i % 4}", $"call_{i}", Unlimited),
        [
            new LimitWindow($"c\n{runs[i / 8].ConversationId}", Unlimited),
            new LimitWindow("p\nname:BENCH", Unlimited),
            new LimitWindow($"t\n{runs[i / 8].ConversationId}\nbilling\nbilling/get_invoice", Unlimited),
        ]);

    private static async Task<(LatencySummary Latency, double BytesPerCall)> SequentialAsync(ILimitCounters counters, AgentRunContext[] runs, int calls)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await counters.CountAsync(Check(runs, i));
        }

        var ticks = new long[calls];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < calls; i++)
        {
            var check = Check(runs, Warmup + i);
            var start = Stopwatch.GetTimestamp();
            await counters.CountAsync(check);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        // Allocations of the count and of building its check, on every thread (an awaited database call resumes on the pool).
        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
        return (LatencySummary.From(ticks), bytes);
    }

    private static async Task<LatencySummary> RoundTripAsync(PostgresGovernanceDatabase db)
    {
        var ticks = new long[PostgresCalls];
        for (var i = -Warmup; i < PostgresCalls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var command = db.DataSource.CreateCommand("SELECT 1"))
            {
                await command.ExecuteScalarAsync();
            }

            if (i >= 0)
            {
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }
        }

        return LatencySummary.From(ticks);
    }

    private static async Task<(double Rate, int Admitted)> ConcurrentAsync(ILimitCounters[] instances, AgentRunContext[] runs)
    {
        var clock = Stopwatch.StartNew();
        var admitted = await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            var counters = instances[caller % instances.Length];
            var allowed = 0;
            for (var i = 0; i < CallsPerCaller; i++)
            {
                allowed += (await counters.CountAsync(Check(runs, caller * CallsPerCaller + i))).Allowed ? 1 : 0;
            }

            return allowed;
        })));
        return (Callers * CallsPerCaller / clock.Elapsed.TotalSeconds, admitted.Sum());
    }

    private static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
