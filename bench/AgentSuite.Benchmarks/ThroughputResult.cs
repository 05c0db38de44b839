using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>One way of appending the same entries with concurrent appenders: the time of each repetition and the checks.</summary>
internal sealed record ThroughputResult(SqliteDurability Durability, string Writer, int Appenders, int PerAppender, IReadOnlyList<TimeSpan> Runs, string Check)
{
    public long Entries => (long)Appenders * PerAppender;

    /// <summary>Entries per second of the median repetition.</summary>
    public double EntriesPerSecond => Entries / Runs.Order().ElementAt(Runs.Count / 2).TotalSeconds;

    public double SlowestPerSecond => Entries / Runs.Max().TotalSeconds;

    public double FastestPerSecond => Entries / Runs.Min().TotalSeconds;
}
