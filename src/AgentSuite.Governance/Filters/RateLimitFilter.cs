using AgentSuite.Governance.IdleState;
using AgentSuite.Governance.Limits;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 4. Rate limits per conversation, per conversation+agent+tool and per principal across its conversations (fixed
/// one-minute windows, in this process's memory), and loop detection:
/// the same tool with the same arguments in one run more than the configured number of times is stopped. For loop
/// detection, retries of one tool call (same tool-call id) count once; rate limits count every attempt. What it keeps
/// per conversation and run is released once idle (<see cref="IIdleStateOwner"/>) without loosening either limit.
/// </summary>
public sealed class RateLimitFilter(TimeProvider time) : IToolCallFilter, IIdleStateOwner
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly RateWindows _windows = new(Window, time);
    private readonly RunLoops _loops = new();

    public string Name => "limits";

    /// <summary>Rate windows held now (one per conversation, per conversation + agent + tool, and per principal).</summary>
    internal int HeldWindows => _windows.Count;

    /// <summary>Runs whose loop counters are indexed now.</summary>
    internal int HeldRuns => _loops.Count;

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var limits = context.Policy.Options.Limits;
        var tool = context.Tool.Key;

        if (limits.MaxIdenticalCallsPerRun > 0)
        {
            var count = _loops.Add(context.Run, tool, context.ArgumentsHash, context.ToolCallId);
            if (count > limits.MaxIdenticalCallsPerRun)
            {
                return Deny($"Loop stopped: '{tool}' was called {count} times with the same arguments in this run (limit {limits.MaxIdenticalCallsPerRun}). Change approach instead of repeating the call.");
            }
        }

        if (limits.PerConversationPerMinute > 0 && !_windows.TryAcquire($"c\n{context.ConversationId}", limits.PerConversationPerMinute))
        {
            return Deny($"Rate limit: more than {limits.PerConversationPerMinute} tool calls per minute in this conversation. Wait before calling again.");
        }

        var perPrincipal = PrincipalLimits.For(limits, context.Principal).PerPrincipalPerMinute;
        if (perPrincipal > 0 && !_windows.TryAcquire($"p\n{PrincipalLimits.KeyOf(context.Principal)}", perPrincipal, out var wait))
        {
            return Deny($"Rate limit: more than {perPrincipal} tool calls per minute on behalf of '{context.Principal.Name}' (Governance:Limits:PerPrincipalPerMinute); retry after {RetryAfter.Seconds(wait)} s.");
        }

        var perTool = PerToolLimit(context);
        if (perTool > 0 && !_windows.TryAcquire($"t\n{context.ConversationId}\n{context.Agent}\n{tool}", perTool))
        {
            return Deny($"Rate limit: more than {perTool} calls per minute to '{tool}' by '{context.Agent}' in this conversation. Wait before calling again.");
        }

        return next(context);
    }

    /// <summary>Forgets windows that have ended and been idle for <paramref name="idleFor"/>, and the index entries of ended runs.</summary>
    public int ReleaseIdle(TimeSpan idleFor) => _windows.ReleaseIdle(idleFor) + _loops.ReleaseEnded();

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

    private ValueTask<ToolCallOutcome> Deny(string reason) => ValueTask.FromResult(ToolCallOutcome.Denied(Name, reason));
}
