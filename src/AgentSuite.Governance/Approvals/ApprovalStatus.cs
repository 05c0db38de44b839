namespace AgentSuite.Governance.Approvals;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Denied,
    TimedOut,
}
