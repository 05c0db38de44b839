using System.Text.Json;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 9. The last step before the tool runs: the "allowed" decision is appended to the audit chain first, and the tool
/// runs only if that append succeeded (fail closed). Its outcome is appended when it returns. Denials and replays
/// decided by earlier filters are audited by the pipeline itself.
/// </summary>
public sealed class AuditFilter(IAuditStore audit, TimeProvider time) : IToolCallFilter
{
    public string Name => "audit";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        await audit.AppendAsync(ToolCallAudit.Entry(context, GovernanceEventTypes.ToolDecision, "allowed", null, time.GetUtcNow(), withArguments: true), context.CancellationToken);
        ToolCallEvents.Publish(context, time.GetUtcNow(), GovernanceEventTypes.ToolDecision, "allowed", null, context.ApprovalId);

        var outcome = await next(context);
        var completed = outcome.Status == ToolCallStatus.Completed;
        var entry = ToolCallAudit.Entry(
            context,
            completed ? GovernanceEventTypes.ToolCompleted : GovernanceEventTypes.ToolFailed,
            completed ? "completed" : "failed",
            outcome.Reason,
            time.GetUtcNow(),
            withArguments: false,
            extra: completed ? w => WriteResultFacts(w, outcome.Result) : null);

        // If this append fails the exception reaches the pipeline, which withholds the result: nothing unrecorded leaves.
        await audit.AppendAsync(entry, CancellationToken.None);
        context.OutcomeAudited = true;
        return outcome;
    }

    private static void WriteResultFacts(Utf8JsonWriter writer, object? result)
    {
        // The result itself is not stored (it may hold personal data); its size and hash prove what was returned.
        var (hash, length) = CanonicalJson.Sha256WithLength(CanonicalJson.ToElement(result));
        writer.WriteNumber("resultBytes", length);
        writer.WriteString("resultHash", hash);
    }
}
