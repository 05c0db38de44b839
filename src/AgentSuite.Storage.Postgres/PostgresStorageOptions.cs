namespace AgentSuite.Storage.Postgres;

/// <summary>Where the shared store is, and how long an instance's hold on a turn lasts without renewal.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a turn stays leased to the instance running it without a renewal (<c>Storage:Postgres:TurnLeaseSeconds</c>).
    /// The instance renews every third of it; when the instance dies, another resumes the turn once it has expired.
    /// </summary>
    public TimeSpan TurnLease { get; set; } = TimeSpan.FromSeconds(15);
}
