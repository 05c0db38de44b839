namespace AgentSuite.Governance.Audit;

/// <summary>
/// The chain against another instance's anchor. An anchor signed with a key this instance does not hold cannot be
/// checked here (<see cref="AuditAnchorStatus.OtherKey"/>) and is not counted as a problem: its own instance checks it.
/// </summary>
public sealed record AuditPeerCheck(string Source, AuditAnchorCheck Check)
{
    public bool Ok => Check.Ok || Check.Status == AuditAnchorStatus.OtherKey;
}
