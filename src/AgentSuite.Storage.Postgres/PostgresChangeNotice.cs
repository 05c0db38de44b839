using AgentSuite.Governance.Cluster;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The <c>pg_notify</c> a write sends as one statement of its own transaction: PostgreSQL delivers it when that
/// transaction commits, and never when it rolls back, so no instance hears of a change that did not happen.
/// </summary>
internal static class PostgresChangeNotice
{
    public static NpgsqlBatchCommand Command(StoreChangeKind kind, string key)
    {
        var command = new NpgsqlBatchCommand(PostgresChanges.NotifySql("@notify"));
        command.Parameters.AddWithValue("notify", PostgresChanges.Payload(kind, key));
        return command;
    }
}
