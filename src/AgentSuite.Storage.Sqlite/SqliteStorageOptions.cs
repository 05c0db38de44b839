namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteStorageOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=data/agentsuite.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/agentsuite.db";

    public SqliteDurability Durability { get; set; } = SqliteDurability.ProcessCrash;
}
