namespace AgentSuite.Governance.Limits;

/// <summary>
/// The outcome of counting one call: admitted, stopped as a loop, or refused by one window (its index in
/// <see cref="LimitCheck.Windows"/>, and how long until that window ends).
/// </summary>
public readonly record struct LimitVerdict(bool Allowed, int LoopCalls, int RefusedWindow, TimeSpan RetryAfter)
{
    public bool LoopStopped => !Allowed && RefusedWindow < 0;

    public static LimitVerdict Admit(int loopCalls) => new(true, loopCalls, -1, TimeSpan.Zero);

    public static LimitVerdict Loop(int loopCalls) => new(false, loopCalls, -1, TimeSpan.Zero);

    public static LimitVerdict Window(int index, TimeSpan retryAfter, int loopCalls) => new(false, loopCalls, index, retryAfter);
}
