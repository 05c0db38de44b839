using System.Collections.Concurrent;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// Fixed windows per key on the app's <see cref="TimeProvider"/>: a window opens at its first call and counts every
/// allowed call until it ends. A key is forgotten only once its window has ended, so nothing it counted still counts,
/// and nothing has used it for the idle interval. The limit is part of the key, so a reloaded limit opens a fresh window.
/// </summary>
internal sealed class RateWindows(TimeSpan length, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Key, int Limit), Window> _windows = new();

    /// <summary>How many keys are held now.</summary>
    public int Count => _windows.Count;

    public bool TryAcquire(string key, int limit) => TryAcquire(key, limit, out _);

    /// <summary>Counts a call in <paramref name="key"/>'s window; when the window is full, <paramref name="retryAfter"/> says when it ends.</summary>
    public bool TryAcquire(string key, int limit, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var now = time.GetTimestamp();
        while (true)
        {
            var window = _windows.GetOrAdd((key, limit), static _ => new Window());
            lock (window)
            {
                if (window.Released)
                {
                    // Released between the lookup and the lock: count in the key's new window instead.
                    continue;
                }

                if (window.Count == 0 || time.GetElapsedTime(window.Start, now) >= length)
                {
                    window.Start = now;
                    window.Count = 0;
                }

                window.LastUsed = now;
                if (window.Count >= limit)
                {
                    retryAfter = length - time.GetElapsedTime(window.Start, now);
                    return false;
                }

                window.Count++;
                return true;
            }
        }
    }

    public int ReleaseIdle(TimeSpan idleFor)
    {
        var now = time.GetTimestamp();
        var released = 0;
        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if ((window.Count > 0 && time.GetElapsedTime(window.Start, now) < length) || time.GetElapsedTime(window.LastUsed, now) < idleFor)
                {
                    continue;
                }

                window.Released = true;
            }

            _windows.TryRemove(new KeyValuePair<(string, int), Window>(key, window));
            released++;
        }

        return released;
    }

    private sealed class Window
    {
        public long Start { get; set; }

        public long LastUsed { get; set; }

        public int Count { get; set; }

        public bool Released { get; set; }
    }
}
