namespace AgentSuite.Benchmarks;

/// <summary>One way of appending the same entries in the pgaudit benchmark: each repetition's time and the checks.</summary>
/// <remarks><see cref="EntriesPerTransaction"/> is one figure per repetition (1 for autocommit inserts; none for SQLite, not counted).</remarks>
internal sealed record PostgresAuditResult(string Writer, long Entries, IReadOnlyList<TimeSpan> Runs, string Check, IReadOnlyList<double> EntriesPerTransaction)
{
    /// <summary>Entries per second of the median repetition.</summary>
    public double EntriesPerSecond => Entries / Runs.Order().ElementAt(Runs.Count / 2).TotalSeconds;

    public double SlowestPerSecond => Entries / Runs.Max().TotalSeconds;

    public double FastestPerSecond => Entries / Runs.Min().TotalSeconds;
}
