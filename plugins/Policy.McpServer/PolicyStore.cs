using ModelContextProtocol;

namespace Policy.McpServer;

/// <summary>Reads the refund policy from the policy data file and applies it to one refund.</summary>
public sealed class PolicyStore(PluginDatabase database)
{
    private static readonly string[] DuplicateWords = ["duplicate", "twice", "double"];

    public RefundPolicy GetPolicy()
    {
        using var db = database.Open();
        var (currency, text) = db.Query("SELECT currency, text FROM policy WHERE id = 1", r => (r.GetString(0), r.GetString(1)))[0];
        var bands = db.Query(
            "SELECT band, up_to_cents, handling FROM refund_bands ORDER BY rank",
            r => new RefundBand(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1) * 0.01m, r.GetString(2)));
        var windows = db.Query("SELECT kind, days FROM refund_windows", r => (Kind: r.GetString(0), Days: r.GetInt32(1)))
            .ToDictionary(w => w.Kind, w => w.Days, StringComparer.Ordinal);
        return new RefundPolicy(currency, text, bands, windows["duplicate_charge"], windows["standard"]);
    }

    public RefundCheck Check(decimal amount, int daysSinceCharge, string reason)
    {
        if (amount <= 0)
        {
            throw new McpException($"amount must be greater than 0 (got {amount}). Pass the refund amount, e.g. 49.00.");
        }

        if (daysSinceCharge < 0)
        {
            throw new McpException($"days_since_charge must be 0 or more (got {daysSinceCharge}). get_invoice on the billing server reports it per charge.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new McpException("reason is empty. Say why the refund is due, e.g. \"duplicate charge\" or \"service outage\".");
        }

        var policy = GetPolicy();
        var duplicate = DuplicateWords.Any(w => reason.Contains(w, StringComparison.OrdinalIgnoreCase));
        var kind = duplicate ? "duplicate_charge" : "standard";
        var window = duplicate ? policy.DuplicateChargeWindowDays : policy.StandardWindowDays;
        var band = policy.Bands.First(b => b.UpTo is null || amount <= b.UpTo);
        var within = daysSinceCharge <= window;
        var explanation = within
            ? $"{amount:0.00} is in the {band.Band} band{(band.UpTo is { } upTo ? $" (up to {upTo:0.00})" : " (above every limit)")}: {band.Handling}"
            : $"Not refundable under the policy: a {kind.Replace('_', ' ')} refund must be asked for within {window} days of the charge, and this charge is " +
              $"{daysSinceCharge} days old. Do not refund; explain this to the customer, or escalate the case if there is a special reason.";
        return new RefundCheck(amount, daysSinceCharge, kind, window, within, band.Band, band.Handling, explanation);
    }
}
