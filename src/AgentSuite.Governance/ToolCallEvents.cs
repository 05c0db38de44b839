namespace AgentSuite.Governance;

/// <summary>Publishes a governance event for a call to its run's sink, if the run has one.</summary>
internal static class ToolCallEvents
{
    public static void Publish(ToolCallContext context, DateTimeOffset at, string type, string? decision, string? reason, string? approvalId = null) =>
        context.Run.Events?.Publish(new GovernanceEvent(type, context.Agent, context.Tool.Key, context.ToolCallId, at)
        {
            Decision = decision,
            Reason = reason,
            ApprovalId = approvalId,
        });
}
