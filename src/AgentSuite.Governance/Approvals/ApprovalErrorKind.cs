namespace AgentSuite.Governance.Approvals;

/// <summary>Why a decision was refused; the Api maps these to 404, 403, 403, 409 and 409.</summary>
public enum ApprovalErrorKind
{
    NotFound,
    NotAnApprover,
    SelfApproval,
    AlreadyDecided,

    /// <summary>The turn that asked for the call has ended and can no longer run it.</summary>
    TurnEnded,
}
