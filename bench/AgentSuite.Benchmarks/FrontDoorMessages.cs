namespace AgentSuite.Benchmarks;

/// <summary>The questions the external agents ask: an invoice lookup (read-only) or a 0.01 refund for a request id.</summary>
internal static class FrontDoorMessages
{
    /// <summary>The charge every refund draws on: 1,200.00 charged, 200.00 refunded at seed, so 100,000 cents to go.</summary>
    public const string RefundCharge = "CH-4";

    private static readonly string[] Invoices = ["INV-1001", "INV-1002", "INV-1003", "INV-1005"];

    public static string Lookup(int n) => $"What is on invoice {Invoices[n % Invoices.Length]}?";

    public static string Refund(string request) => $"Please refund 0.01 on charge {RefundCharge} of INV-1004 for customer CUST-21, request {request}";
}
