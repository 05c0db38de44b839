namespace AgentSuite.Api.Tests.Support;

/// <summary>Reads a status again and again until it shows what a test waits for (the monitor checks in the background).</summary>
public static class StatusPolling
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The first reading that satisfies <paramref name="until"/>; fails with the last one after <see cref="Patience"/>.</summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T>> read, Func<T, bool> until)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var reading = await read();
            if (until(reading))
            {
                return reading;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{what} did not show what was expected within {Patience.TotalSeconds} s; the last answer was:\n{reading}");
            await Task.Delay(100);
        }
    }
}
