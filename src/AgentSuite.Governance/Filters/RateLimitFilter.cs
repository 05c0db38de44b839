using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 4. Rate limits per conversation and per conversation+agent+tool (fixed one-minute windows), and loop detection:
/// the same tool with the same arguments in one run more than the configured number of times is stopped. For loop
/// detection, retries of one tool call (same tool-call id) count once; rate limits count every attempt.
/// </summary>
public sealed class RateLimitFilter : IToolCallFilter, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LoopMemory = TimeSpan.FromHours(1);

    // Partition keys carry the limit, so a reloaded limit starts a fresh window instead of reusing the old one.
    private readonly PartitionedRateLimiter<(string Key, int Limit)> _limiter = PartitionedRateLimiter.Create<(string Key, int Limit), (string, int)>(
        static k => RateLimitPartition.GetFixedWindowLimiter(k, static k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.Limit,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly ConcurrentDictionary<string, LoopCounter> _loops = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _nextSweep;

    public RateLimitFilter(TimeProvider time) => _time = time;

    public string Name => "limits";

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var limits = context.Policy.Options.Limits;
        var tool = context.Tool.Key;

        if (limits.MaxIdenticalCallsPerRun > 0)
        {
            var count = _loops.GetOrAdd($"{context.RunId}\n{tool}\n{context.ArgumentsHash}", static _ => new LoopCounter()).Add(context.ToolCallId, _time.GetUtcNow());
            if (count > limits.MaxIdenticalCallsPerRun)
            {
                return Deny($"Loop stopped: '{tool}' was called {count} times with the same arguments in this run (limit {limits.MaxIdenticalCallsPerRun}). Change approach instead of repeating the call.");
            }

            SweepLoops();
        }

        if (limits.PerConversationPerMinute > 0 && !Acquire($"c\n{context.ConversationId}", limits.PerConversationPerMinute))
        {
            return Deny($"Rate limit: more than {limits.PerConversationPerMinute} tool calls per minute in this conversation. Wait before calling again.");
        }

        var perTool = PerToolLimit(context);
        if (perTool > 0 && !Acquire($"t\n{context.ConversationId}\n{context.Agent}\n{tool}", perTool))
        {
            return Deny($"Rate limit: more than {perTool} calls per minute to '{tool}' by '{context.Agent}' in this conversation. Wait before calling again.");
        }

        return next(context);
    }

    public void Dispose() => _limiter.Dispose();

    private static int PerToolLimit(ToolCallContext context)
    {
        foreach (var (pattern, perMinute) in context.Policy.ToolLimits)
        {
            if (pattern.IsMatch(context.Tool.Key))
            {
                return perMinute;
            }
        }

        return context.Policy.Options.Limits.PerToolPerMinute;
    }

    private bool Acquire(string key, int limit)
    {
        using var lease = _limiter.AttemptAcquire((key, limit));
        return lease.IsAcquired;
    }

    private ValueTask<ToolCallOutcome> Deny(string reason) => ValueTask.FromResult(ToolCallOutcome.Denied(Name, reason));

    private void SweepLoops()
    {
        var now = _time.GetTimestamp();
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(_time.TimestampFrequency * 60), due) != due)
        {
            return;
        }

        var cutoff = _time.GetUtcNow() - LoopMemory;
        foreach (var (key, counter) in _loops)
        {
            if (counter.LastSeen < cutoff)
            {
                _loops.TryRemove(key, out _);
            }
        }
    }

    private sealed class LoopCounter
    {
        private readonly HashSet<string> _callIds = new(StringComparer.Ordinal);

        public DateTimeOffset LastSeen { get; private set; }

        public int Add(string toolCallId, DateTimeOffset now)
        {
            lock (_callIds)
            {
                _callIds.Add(toolCallId);
                LastSeen = now;
                return _callIds.Count;
            }
        }
    }
}
