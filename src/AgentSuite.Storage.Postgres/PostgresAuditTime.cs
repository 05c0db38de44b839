namespace AgentSuite.Storage.Postgres;

/// <summary>
/// An audit time as stored: a timestamptz holds microseconds, so the 100-ns digit of a .NET time is kept beside it
/// (<c>at_tick</c>) and the two read back as the exact instant that was hashed.
/// </summary>
internal static class PostgresAuditTime
{
    public static (DateTime Micros, short Tick) Split(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var tick = (short)(ticks % 10);
        return (new DateTime(ticks - tick, DateTimeKind.Utc), tick);
    }

    public static DateTimeOffset Join(DateTime micros, short tick) => new(micros.Ticks + tick, TimeSpan.Zero);
}
