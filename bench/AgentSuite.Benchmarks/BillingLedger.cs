using Microsoft.Data.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Billing's own data file, read after the run: every refund the benchmark's requests made (their reason names the
/// request), and each charge's refunded total against its amount.
/// </summary>
internal sealed record BillingLedger(IReadOnlyList<(string Request, string RefundId)> BenchRefunds, IReadOnlyList<(string Charge, long AmountCents, long RefundedCents)> Charges)
{
    private const string ReasonPrefix = "bench request ";

    public static BillingLedger Read(string billingFile)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = billingFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        var refunds = new List<(string, string)>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT reason, id FROM refunds WHERE reason LIKE $prefix ORDER BY seq";
            command.Parameters.AddWithValue("$prefix", ReasonPrefix + "%");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                refunds.Add((reader.GetString(0)[ReasonPrefix.Length..], reader.GetString(1)));
            }
        }

        var charges = new List<(string, long, long)>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT c.id, c.amount_cents, COALESCE((SELECT SUM(r.amount_cents) FROM refunds r WHERE r.charge_id = c.id), 0) FROM charges c ORDER BY c.id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                charges.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return new BillingLedger(refunds, charges);
    }

    /// <summary>Payments beyond the first for one request: the same refund paid twice.</summary>
    public int RepeatedPayments => BenchRefunds.GroupBy(r => r.Request, StringComparer.Ordinal).Sum(g => g.Count() - 1);

    /// <summary>Charges whose refunds add up to more than was charged.</summary>
    public int OverRefundedCharges => Charges.Count(c => c.RefundedCents > c.AmountCents);

    public int DoubleRefunds => RepeatedPayments + OverRefundedCharges;

    /// <summary>Refunds paid that no agent was told about, and refunds an agent was told about that Billing does not hold (or holds under another id).</summary>
    public (int PaidNotAnswered, int AnsweredNotPaid) Compare(RefundBook book)
    {
        var paid = BenchRefunds.ToLookup(r => r.Request, r => r.RefundId, StringComparer.Ordinal);
        return (
            BenchRefunds.Count(r => !book.Answered.ContainsKey(r.Request)),
            book.Answered.Count(a => !paid[a.Key].Contains(a.Value, StringComparer.Ordinal)));
    }
}
