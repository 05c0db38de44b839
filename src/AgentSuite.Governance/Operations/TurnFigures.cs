using System.Text.Json.Serialization;

namespace AgentSuite.Governance.Operations;

/// <summary>
/// Turns that ended in the window: <see cref="Failed"/> includes <see cref="Abandoned"/> (not resumable after a crash).
/// Durations run from the turn's start to its end, approvals and restarts included; null when no turn ended.
/// </summary>
public sealed record TurnFigures(
    long Count,
    long Completed,
    long Failed,
    long Abandoned,

    // Written as null rather than left out, so a client reads "nothing to measure" the same way on every field.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P50Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P95Ms,
    IReadOnlyList<long> Buckets);
