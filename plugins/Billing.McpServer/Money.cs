using System.Globalization;

namespace Billing.McpServer;

/// <summary>Amounts are stored as whole cents so sums and comparisons are exact; tools speak decimals with two places.</summary>
public static class Money
{
    public static decimal FromCents(long cents) => cents * 0.01m;

    /// <summary>The amount in cents, or null when it has more than two decimal places.</summary>
    public static long? ToCents(decimal amount)
    {
        var cents = amount * 100m;
        return cents == decimal.Truncate(cents) && Math.Abs(cents) <= long.MaxValue ? (long)cents : null;
    }

    /// <summary>A sum that keeps two decimal places, so 0 prints as 0.00 like every other amount.</summary>
    public static decimal Sum(IEnumerable<decimal> amounts) => FromCents(amounts.Sum(a => ToCents(a) ?? 0));

    public static string Format(long cents) => FromCents(cents).ToString("0.00", CultureInfo.InvariantCulture);
}
