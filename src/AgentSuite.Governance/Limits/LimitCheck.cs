namespace AgentSuite.Governance.Limits;

/// <summary>What one call counts in: its run's loop counter (optional) and its rate windows, in the order they are checked.</summary>
public sealed record LimitCheck(AgentRunContext? Run, LoopCall? Loop, IReadOnlyList<LimitWindow> Windows);
