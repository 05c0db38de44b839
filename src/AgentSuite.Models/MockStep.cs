namespace AgentSuite.Models;

/// <summary>
/// One model call's worth of a rule: either tool calls (one, or several in parallel) or a reply.
/// <see cref="EvenIfNotOffered"/> makes the calls even when a tool is not among those offered, as a model that calls a
/// tool it was not given would.
/// </summary>
internal sealed record MockStep(int Line, IReadOnlyList<MockCall> Calls, Template? Reply, Template? OnDenied, Template? OnError, bool EvenIfNotOffered = false)
{
    public bool IsCall => Calls.Count > 0;
}
