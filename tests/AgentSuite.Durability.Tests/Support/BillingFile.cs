using Microsoft.Data.Sqlite;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>Reads a billing server's own SQLite file directly, read-only: what was really paid, whatever anyone says.</summary>
public static class BillingFile
{
    /// <summary>The refunds paid on <paramref name="invoiceId"/>: how many, and their total in cents; none when the file does not exist yet.</summary>
    public static (long Count, long Cents) Refunds(string path, string invoiceId)
    {
        if (!File.Exists(path))
        {
            return (0, 0);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM refunds WHERE invoice_id = $i";
        command.Parameters.AddWithValue("$i", invoiceId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
