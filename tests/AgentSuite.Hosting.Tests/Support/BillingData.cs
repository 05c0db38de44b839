using AgentSuite.AppHost;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>Reads the billing server's own SQLite file (where the AppHost puts it), to see what was really paid.</summary>
public static class BillingData
{
    public static long RefundRows(string dataFolder) => Scalar(dataFolder, "SELECT COUNT(*) FROM refunds");

    public static long RefundedCents(string dataFolder, string chargeId) =>
        Scalar(dataFolder, "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE charge_id = $c", chargeId);

    private static long Scalar(string dataFolder, string sql, string? charge = null)
    {
        var file = AppHostSettings.Billing.DataFile(dataFolder);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (charge is not null)
        {
            command.Parameters.AddWithValue("$c", charge);
        }

        return (long)command.ExecuteScalar()!;
    }
}
