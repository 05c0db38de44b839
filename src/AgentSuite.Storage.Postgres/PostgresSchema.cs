namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The tables, as statements that can run again on a database that already has them (<c>CREATE … IF NOT EXISTS</c>,
/// <c>ADD COLUMN IF NOT EXISTS</c>): each store keeps its own part next to its code. They run at start under one
/// advisory lock (<see cref="PostgresGovernanceDatabase"/>), so instances starting together do not race.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Every store's part, in order.</summary>
    public static readonly IReadOnlyList<string> Parts =
    [
        """
        CREATE TABLE IF NOT EXISTS schema_info (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
        PostgresConversationStore.Schema,
        PostgresTurnStore.Schema,
        PostgresAgentCallStore.Schema,
        PostgresTokenUsageStore.Schema,
        PostgresApprovalStore.Schema,
        PostgresIdempotencyStore.Schema,
        PostgresToolPinStore.Schema,
        PostgresKillSwitchStore.Schema,
        PostgresAuditSchema.Sql,
        PostgresInstanceRegistry.Schema,
        PostgresLimitCounters.Schema,
    ];
}
