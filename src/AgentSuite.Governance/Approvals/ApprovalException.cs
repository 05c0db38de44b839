namespace AgentSuite.Governance.Approvals;

/// <summary>A decision that governance refused, with a message that says what to do instead.</summary>
public sealed class ApprovalException(ApprovalErrorKind kind, string message) : Exception(message)
{
    public ApprovalErrorKind Kind { get; } = kind;
}
