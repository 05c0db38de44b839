using Microsoft.Data.Sqlite;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>Reads the billing server's own SQLite file in the run's data folder, to see what was really paid.</summary>
public static class BillingData
{
    /// <summary>The amount of each refund row on <paramref name="chargeId"/>, in cents.</summary>
    public static List<long> RefundsOn(string dataFolder, string chargeId)
    {
        var file = Path.Combine(dataFolder, "billing.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT amount_cents FROM refunds WHERE charge_id = $charge";
        command.Parameters.AddWithValue("$charge", chargeId);
        using var reader = command.ExecuteReader();
        var amounts = new List<long>();
        while (reader.Read())
        {
            amounts.Add(reader.GetInt64(0));
        }

        return amounts;
    }
}
