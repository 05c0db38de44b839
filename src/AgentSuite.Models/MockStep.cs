namespace AgentSuite.Models;

/// <summary>
/// One model call's worth of a rule: either tool calls (one, or several in parallel, optionally with text said
/// alongside) or a reply. <see cref="EvenIfNotOffered"/> makes the calls even when a tool is not among those offered, as
/// a model that calls a tool it was not given would. <see cref="PreviousOutcomes"/> (replays only) are the outcomes of
/// the previous step's calls as the recorded model saw them, by tool, in call order.
/// </summary>
internal sealed record MockStep(
    int Line,
    IReadOnlyList<MockCall> Calls,
    Template? Reply,
    Template? OnDenied,
    Template? OnError,
    bool EvenIfNotOffered = false,
    Template? WithText = null,
    IReadOnlyList<KeyValuePair<string, string>>? PreviousOutcomes = null)
{
    public bool IsCall => Calls.Count > 0;
}
