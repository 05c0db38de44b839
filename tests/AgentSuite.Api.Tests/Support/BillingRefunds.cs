using Microsoft.Data.Sqlite;

namespace AgentSuite.Api.Tests.Support;

/// <summary>Reads the refunds Billing paid from its own data file (billing.db in the Api's data folder), not from anything the Api says.</summary>
internal static class BillingRefunds
{
    public static (long Count, long Cents) Paid(ApiServer api, string invoiceId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(api.DataFolder, "billing.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM refunds WHERE invoice_id = $invoice";
        command.Parameters.AddWithValue("$invoice", invoiceId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
