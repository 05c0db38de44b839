namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The tables, as statements that can run again on a database that already has them (<c>CREATE … IF NOT EXISTS</c>,
/// <c>ADD COLUMN IF NOT EXISTS</c>): each store keeps its own part next to its code. They run at start under one
/// advisory lock (<see cref="PostgresGovernanceDatabase"/>), so instances starting together do not race, and only when
/// the <see cref="Version"/> recorded in <c>schema_info</c> differs: a start on a current database runs no DDL, and a
/// database a newer build migrated (<see cref="Revision"/>) is left alone.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The <c>schema_info</c> row that records which schema the database has.</summary>
    public const string VersionName = "schema_version";

    /// <summary>The <c>schema_info</c> row that records the revision of the build that last migrated the database.</summary>
    public const string RevisionName = "schema_revision";

    /// <summary>
    /// Raised by hand with every release that changes a part. A build never migrates a database a higher revision has
    /// migrated, so an older instance started during a rolling upgrade cannot undo the newer schema. Changes stay
    /// additive (expand, then contract in a later release) so both builds can run on the newer schema meanwhile.
    /// </summary>
    public const int Revision = 1;

    /// <summary>Every store's part, in order.</summary>
    public static readonly IReadOnlyList<string> Parts =
    [
        """
        CREATE TABLE IF NOT EXISTS schema_info (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
        PostgresApprovalStore.Schema,
        PostgresIdempotencyStore.Schema,
        PostgresToolPinStore.Schema,
        PostgresKillSwitchStore.Schema,
        PostgresConversationStore.Schema,
        PostgresTurnStore.Schema,
        PostgresAgentCallStore.Schema,
        PostgresTokenUsageStore.Schema,
        PostgresAuditSchema.Sql,
        PostgresInstanceRegistry.Schema,
        PostgresLimitCounters.Schema,
    ];

    /// <summary>A hash of every part: any change to a store's DDL is a new version, so the next start applies it.</summary>
    public static readonly string Version = Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\0", Parts))));
}
