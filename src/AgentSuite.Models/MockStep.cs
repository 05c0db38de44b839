namespace AgentSuite.Models;

/// <summary>One model call's worth of a rule: either tool calls (one, or several in parallel) or a reply.</summary>
internal sealed record MockStep(int Line, IReadOnlyList<MockCall> Calls, Template? Reply, Template? OnDenied, Template? OnError)
{
    public bool IsCall => Calls.Count > 0;
}
