namespace AgentSuite.Governance.IdleState;

/// <summary>
/// Something that keeps in-memory state per conversation, run or principal. <see cref="IdleStateSweeper"/> asks it, every
/// so often, to forget what nothing has used for <c>Governance:IdleStateRelease</c>; it must keep whatever a limit still
/// needs (a rate window that has not ended, the counters of a run that is still going).
/// </summary>
public interface IIdleStateOwner
{
    /// <summary>Releases what has been idle for at least <paramref name="idleFor"/>; returns how many entries went.</summary>
    int ReleaseIdle(TimeSpan idleFor);
}
