using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>One way of appending the same entries with concurrent appenders, and how fast it went.</summary>
internal sealed record ThroughputResult(SqliteDurability Durability, string Writer, int Appenders, int PerAppender, TimeSpan Elapsed, string Check)
{
    public long Entries => (long)Appenders * PerAppender;

    public double EntriesPerSecond => Entries / Elapsed.TotalSeconds;
}
