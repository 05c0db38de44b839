using System.Text.Json.Serialization;

namespace AgentSuite.Governance.Operations;

/// <summary>
/// Approvals requested in the window (the audit's <c>approval.requested</c> entries) and per turn that ended in it
/// (null without turns), and how long the requests a person or the timeout resolved in the window had waited
/// (<see cref="Decided"/> of them; null without any).
/// </summary>
public sealed record ApprovalFigures(
    long Requested,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? PerTurn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? WaitP50Seconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? WaitP95Seconds,
    long Decided,
    IReadOnlyList<long> Buckets);
