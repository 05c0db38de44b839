using Microsoft.Data.Sqlite;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Reads the billing server's own SQLite file directly, to see what was really paid.</summary>
public static class BillingData
{
    public static long RefundRows(TempDataFile data, string idempotencyKey) =>
        Scalar(data, "SELECT COUNT(*) FROM refunds WHERE idempotency_key = $k", ("$k", idempotencyKey));

    public static long RefundedCents(TempDataFile data, string chargeId) =>
        Scalar(data, "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE charge_id = $c", ("$c", chargeId));

    private static long Scalar(TempDataFile data, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = data.Path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)command.ExecuteScalar()!;
    }
}
