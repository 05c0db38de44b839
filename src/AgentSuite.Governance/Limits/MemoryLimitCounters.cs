using AgentSuite.Governance.Filters;

namespace AgentSuite.Governance.Limits;

/// <summary>
/// The counters of one process, in its memory (the default, and the one for SQLite): windows on the app's
/// <see cref="TimeProvider"/>, and loop counters held by the run's own contexts, so they live exactly as long as the run.
/// Each instance counts only its own calls.
/// </summary>
public sealed class MemoryLimitCounters(TimeProvider time) : ILimitCounters
{
    private readonly RateWindows _windows = new(LimitWindow.Length, time);
    private readonly RunLoops _loops = new();

    /// <summary>Rate windows held now.</summary>
    internal int HeldWindows => _windows.Count;

    /// <summary>Runs whose loop counters are indexed now.</summary>
    internal int HeldRuns => _loops.Count;

    public ValueTask<LimitVerdict> CountAsync(LimitCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        return ValueTask.FromResult(Count(check));
    }

    public int ReleaseIdle(TimeSpan idleFor) => _windows.ReleaseIdle(idleFor) + _loops.ReleaseEnded();

    private LimitVerdict Count(LimitCheck check)
    {
        var loopCalls = 0;
        if (check.Loop is { } loop)
        {
            var run = check.Run ?? throw new ArgumentException("A loop count needs the call's run.", nameof(check));
            loopCalls = _loops.Add(run, loop.Tool, loop.ArgumentsHash, loop.ToolCallId);
            if (loopCalls > loop.Limit)
            {
                return LimitVerdict.Loop(loopCalls);
            }
        }

        for (var i = 0; i < check.Windows.Count; i++)
        {
            var window = check.Windows[i];
            if (!_windows.TryAcquire(window.Key, window.Limit, out var wait))
            {
                return LimitVerdict.Window(i, wait, loopCalls);
            }
        }

        return LimitVerdict.Admit(loopCalls);
    }
}
