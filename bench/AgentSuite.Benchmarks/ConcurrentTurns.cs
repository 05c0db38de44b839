using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Turns from <c>concurrency</c> workers at once, each worker one conversation after another, until a time has passed
/// or a number of turns has been started. The first failure stops every worker and is rethrown.
/// </summary>
internal static class ConcurrentTurns
{
    public static Task<(long[] Ticks, TimeSpan Elapsed)> ForAsync(ApiTurnClient client, int concurrency, TimeSpan duration) =>
        RunAsync(client, concurrency, clock => clock.Elapsed < duration);

    public static Task<(long[] Ticks, TimeSpan Elapsed)> CountAsync(ApiTurnClient client, int concurrency, int turns)
    {
        var started = 0;
        return RunAsync(client, concurrency, _ => Interlocked.Increment(ref started) <= turns);
    }

    private static async Task<(long[] Ticks, TimeSpan Elapsed)> RunAsync(ApiTurnClient client, int concurrency, Func<Stopwatch, bool> another)
    {
        using var failed = new CancellationTokenSource();
        var samples = new List<long>[concurrency];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = samples[w] = new List<long>(1024);
            while (!failed.IsCancellationRequested && another(clock))
            {
                try
                {
                    mine.Add(await client.TurnAsync(failed.Token));
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            }
        }).ToArray();

        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            var first = workers.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException)
                ?? workers.First(t => t.IsFaulted || t.IsCanceled).Exception?.InnerException;
            throw new InvalidOperationException($"The run stopped at {concurrency} concurrent conversations after {clock.Elapsed.TotalSeconds:F1} s: {first?.Message}", first);
        }

        return (samples.SelectMany(s => s).ToArray(), clock.Elapsed);
    }
}
