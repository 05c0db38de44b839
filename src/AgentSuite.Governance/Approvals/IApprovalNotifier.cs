namespace AgentSuite.Governance.Approvals;

/// <summary>
/// Tells people that a call waits for them (a webhook, say). Called once per new request, after it is stored and
/// audited; it must return at once and never throw: telling approvers never blocks or fails the call that waits.
/// </summary>
public interface IApprovalNotifier
{
    void Requested(ApprovalRequest request);
}
