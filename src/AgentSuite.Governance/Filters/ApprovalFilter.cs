using System.Diagnostics;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Policy;
using AgentSuite.Governance.Telemetry;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 6. Human approval. A call matching an approval rule (tool pattern, argument condition, MCP annotation), or whose
/// tool asks for approval itself, waits for a person. The request is bound to the SHA-256 of the exact arguments:
/// a retry of the same call with the same arguments reuses its request; any other arguments need their own.
/// No decision before the timeout is a denial.
/// </summary>
public sealed class ApprovalFilter(ApprovalService approvals, TimeProvider time) : IToolCallFilter
{
    public string Name => "approval";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var reason = RequiredBecause(context);
        if (reason is null)
        {
            return await next(context);
        }

        var request = await FindOrRequestAsync(context, reason);
        if (request.Status == ApprovalStatus.Pending)
        {
            ToolCallEvents.Publish(context, time.GetUtcNow(), GovernanceEventTypes.ApprovalPending, null, reason, request.Id);
            AddEvent(context, "agentsuite.approval.pending", AppTelemetry.Attributes.ApprovalId, request.Id);
            var waiting = time.GetTimestamp();
            request = await approvals.WaitAsync(request, context.Policy.Options.Approval.PollInterval, context.CancellationToken);
            var decision = Decision(request.Status);
            AppMetrics.RecordApprovalWait(time.GetElapsedTime(waiting), context.Tool.Key, decision);
            AddEvent(context, "agentsuite.approval.resolved", AppTelemetry.Attributes.ApprovalDecision, decision);
            ToolCallEvents.Publish(context, time.GetUtcNow(), GovernanceEventTypes.ApprovalResolved, decision, request.Comment, request.Id);

            // The decision is on the turn's record before the call runs or is refused: the wait may have been long, and an
            // instance whose turn another instance took over meanwhile stops here (the store refuses its write).
            if (context.Run.Checkpoint is { } checkpoint)
            {
                await checkpoint(context.CancellationToken);
            }
        }

        context.AddNote("approvalId", request.Id);
        if (context.Span is { } span)
        {
            span.ApprovalDecision = Decision(request.Status);
        }

        if (request.Status == ApprovalStatus.Approved && string.Equals(request.ArgumentsHash, context.ArgumentsHash, StringComparison.Ordinal))
        {
            context.ApprovalId = request.Id;
            context.AddNote("approvedBy", request.DecidedBy ?? "");
            return await next(context);
        }

        return ToolCallOutcome.Denied(Name, request.Status switch
        {
            ApprovalStatus.TimedOut => $"Approval {request.Id} got no decision before the timeout, so the call was not run.",
            ApprovalStatus.Denied => $"Approval {request.Id} was denied by {request.DecidedBy}{(string.IsNullOrWhiteSpace(request.Comment) ? "" : $": {request.Comment}")}.",
            _ => $"Approval {request.Id} does not cover these arguments.",
        });
    }

    private static string Decision(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.TimedOut => "timed_out",
        ApprovalStatus.Pending => "pending",
        _ => "denied",
    };

    /// <summary>Marks the wait on the call's span, so a trace shows where the time went.</summary>
    private static void AddEvent(ToolCallContext context, string name, string tag, string value)
    {
        if (context.Span is { Activity: var activity })
        {
            activity.AddEvent(new ActivityEvent(name, tags: new ActivityTagsCollection { [tag] = value }));
        }
    }

    private async Task<ApprovalRequest> FindOrRequestAsync(ToolCallContext context, string reason)
    {
        var earlier = await approvals.FindByToolCallAsync(context.RunId, context.ToolCallId, context.CancellationToken);
        for (var i = earlier.Count - 1; i >= 0; i--)
        {
            var r = earlier[i];
            if (string.Equals(r.Tool, context.Tool.Key, StringComparison.Ordinal) && string.Equals(r.ArgumentsHash, context.ArgumentsHash, StringComparison.Ordinal))
            {
                return r;
            }
        }

        // The caller's state first (a durable turn's checkpoint), so that after a crash the request is one it will ask about again.
        if (context.Run.Checkpoint is { } checkpoint)
        {
            await checkpoint(context.CancellationToken);
        }

        var now = time.GetUtcNow();
        return await approvals.RequestAsync(new ApprovalRequest
        {
            Id = "apr_" + Guid.NewGuid().ToString("N"),
            ConversationId = context.ConversationId,
            RunId = context.RunId,
            ToolCallId = context.ToolCallId,
            Agent = context.Agent,
            Tool = context.Tool.Key,
            Arguments = CanonicalJson.ToString(context.ArgumentsJson),
            ArgumentsHash = context.ArgumentsHash,
            RequestedBy = context.Principal.Name,
            RequestedAt = now,
            ExpiresAt = now + context.Policy.Options.Approval.Timeout,
            Reason = reason,
            Request = CustomerRequest.Prepare(context.Run.Request, context.Policy.Redactor),
            AgentPath = [.. context.Run.Callers, context.Agent],
            IdempotencyKey = context.Annotations.IsReadOnly ? null : IdempotencyFilter.KeyFor(context),
        }, context.CancellationToken);
    }

    /// <summary>Why this call needs a person, or null when it does not. A condition that cannot be evaluated requires approval.</summary>
    private static string? RequiredBecause(ToolCallContext context)
    {
        if (context.GovernedTool.InnerRequiresApproval)
        {
            return $"'{context.Tool.Key}' requires approval for every call.";
        }

        foreach (var rule in context.Policy.ApprovalRules)
        {
            if (Matches(rule, context))
            {
                return rule.Reason ?? Describe(rule, context);
            }
        }

        return null;
    }

    private static bool Matches(GovernancePolicy.ApprovalRule rule, ToolCallContext context) =>
        rule.Tool.IsMatch(context.Tool.Key)
        && (rule.Agent is null || string.Equals(rule.Agent, context.Agent, StringComparison.Ordinal))
        && (rule.Annotation is null || context.Annotations.Get(rule.Annotation) == true)
        && (rule.When is null || rule.When.Evaluate(context.ArgumentsJson) != ConditionValue.False);

    private static string Describe(GovernancePolicy.ApprovalRule rule, ToolCallContext context)
    {
        var because = new List<string>();
        if (rule.When is not null)
        {
            because.Add($"'{rule.When.Text}'");
        }

        if (rule.Annotation is not null)
        {
            because.Add($"the tool is marked {rule.Annotation}");
        }

        return because.Count == 0
            ? $"'{context.Tool.Key}' requires approval."
            : $"'{context.Tool.Key}' requires approval when {string.Join(" and ", because)}.";
    }
}
