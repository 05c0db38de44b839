using AgentSuite.Governance.Limits;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 4. Rate limits per conversation, per principal across its conversations and per conversation+agent+tool (fixed
/// one-minute windows), and loop detection: the same tool with the same arguments in one run more than the configured
/// number of times is stopped. For loop detection, retries of one tool call (same tool-call id) count once; rate limits
/// count every attempt. The counts are kept by <see cref="ILimitCounters"/>: this process's memory by default, or the
/// shared store, so the limits hold across instances; either way one call is one count.
/// </summary>
public sealed class RateLimitFilter(ILimitCounters counters) : IToolCallFilter
{
    public string Name => "limits";

    /// <summary>Rate windows held now in this process's memory (none when the counters are in a store).</summary>
    internal int HeldWindows => (counters as MemoryLimitCounters)?.HeldWindows ?? 0;

    /// <summary>Runs whose loop counters are indexed now in this process's memory.</summary>
    internal int HeldRuns => (counters as MemoryLimitCounters)?.HeldRuns ?? 0;

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var limits = context.Policy.Options.Limits;
        var tool = context.Tool.Key;
        var loop = limits.MaxIdenticalCallsPerRun > 0 ? new LoopCall(tool, context.ArgumentsHash, context.ToolCallId, limits.MaxIdenticalCallsPerRun) : null;
        var perPrincipal = PrincipalLimits.For(limits, context.Principal).PerPrincipalPerMinute;
        var perTool = PerToolLimit(context);
        var windows = new List<LimitWindow>(3);
        if (limits.PerConversationPerMinute > 0)
        {
            windows.Add(new LimitWindow($"c\n{context.ConversationId}", limits.PerConversationPerMinute));
        }

        if (perPrincipal > 0)
        {
            windows.Add(new LimitWindow($"p\n{PrincipalLimits.KeyOf(context.Principal)}", perPrincipal));
        }

        if (perTool > 0)
        {
            windows.Add(new LimitWindow($"t\n{context.ConversationId}\n{context.Agent}\n{tool}", perTool));
        }

        if (loop is null && windows.Count == 0)
        {
            return next(context);
        }

        var check = new LimitCheck(context.Run, loop, windows);
        var counting = counters.CountAsync(check, context.CancellationToken);
        return counting.IsCompletedSuccessfully ? Decide(counting.Result, check, context, next) : DecideAsync(counting, check, context, next);
    }

    private async ValueTask<ToolCallOutcome> DecideAsync(ValueTask<LimitVerdict> counting, LimitCheck check, ToolCallContext context, ToolCallDelegate next) =>
        await Decide(await counting, check, context, next);

    private ValueTask<ToolCallOutcome> Decide(LimitVerdict verdict, LimitCheck check, ToolCallContext context, ToolCallDelegate next)
    {
        if (verdict.Allowed)
        {
            return next(context);
        }

        var tool = context.Tool.Key;
        if (verdict.LoopStopped)
        {
            return Deny($"Loop stopped: '{tool}' was called {verdict.LoopCalls} times with the same arguments in this run (limit {check.Loop!.Limit}). Change approach instead of repeating the call.");
        }

        var window = check.Windows[verdict.RefusedWindow];
        return window.Key[0] switch
        {
            'c' => Deny($"Rate limit: more than {window.Limit} tool calls per minute in this conversation. Wait before calling again."),
            'p' => Deny($"Rate limit: more than {window.Limit} tool calls per minute on behalf of '{context.Principal.Name}' (Governance:Limits:PerPrincipalPerMinute); retry after {RetryAfter.Seconds(verdict.RetryAfter)} s."),
            _ => Deny($"Rate limit: more than {window.Limit} calls per minute to '{tool}' by '{context.Agent}' in this conversation. Wait before calling again."),
        };
    }

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
