using System.Diagnostics;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>Every wait has an end, so a turn that never completes fails its test with what was seen instead of hanging the run.</summary>
public static class Waits
{
    /// <summary>A process starting, or a turn reaching its next state.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    /// <summary>A killed process disappearing.</summary>
    public static readonly TimeSpan Exit = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Polls <paramref name="probe"/> until it gives a value; throws <see cref="TimeoutException"/> with <paramref name="what"/>
    /// and <paramref name="describe"/>'s account of the last state when <see cref="Step"/> passes first.
    /// </summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> probe, Func<Task<string>> describe)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > Step)
            {
                throw new TimeoutException($"Waited {Step} for {what}, in vain.\n{await describe()}");
            }

            await Task.Delay(Interval);
        }
    }
}
