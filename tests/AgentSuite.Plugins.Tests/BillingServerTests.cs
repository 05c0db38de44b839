using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// The billing server over real stdio. One process serves the class; each test works on its own charges so the
/// order the tests run in does not matter.
/// </summary>
public sealed class BillingServerTests(BillingFixture fixture) : IClassFixture<BillingFixture>
{
    private StdioPlugin Server => fixture.Server;

    [Fact]
    public async Task ListsBillingToolsWithDescriptionsAndAnnotations()
    {
        var tools = (await Server.Client.ListToolsAsync(cancellationToken: Timeouts.CallToken())).ToDictionary(t => t.Name);

        Assert.Equal(["get_invoice", "issue_refund", "list_charges"], tools.Keys.Order());
        Assert.All(tools.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        foreach (var name in new[] { "get_invoice", "list_charges" })
        {
            var annotations = tools[name].ProtocolTool.Annotations!;
            Assert.True(annotations.ReadOnlyHint);
            Assert.False(annotations.DestructiveHint);
        }

        var refund = tools["issue_refund"].ProtocolTool.Annotations!;
        Assert.False(refund.ReadOnlyHint);
        Assert.True(refund.DestructiveHint);
        Assert.True(refund.IdempotentHint);
        Assert.Contains("idempotency_key", tools["issue_refund"].ProtocolTool.InputSchema.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeededInvoiceShowsTheDuplicateCharge()
    {
        var invoice = (await Server.Client.CallAsync("get_invoice", ("invoice_id", "INV-1002"))).Json();

        Assert.Equal("CUST-7", invoice.Text("customer_id"));
        Assert.Equal("Dana Whitfield", invoice.Text("customer_name"));
        Assert.Equal(49.00m, invoice.Amount("total"));
        Assert.Equal(98.00m, invoice.Amount("charged"));
        var charges = invoice.GetProperty("charges").EnumerateArray().ToList();
        Assert.Equal(["CH-1", "CH-2"], charges.Select(c => c.Text("charge_id")));
        Assert.All(charges, c => Assert.Equal(49.00m, c.Amount("amount")));
    }

    [Fact]
    public async Task SeededInvoiceListsRefundsPaidSoFar()
    {
        var invoice = (await Server.Client.CallAsync("get_invoice", ("invoice_id", "INV-1004"))).Json();

        var refund = Assert.Single(invoice.GetProperty("refunds").EnumerateArray());
        Assert.Equal("RF-1001", refund.Text("refund_id"));
        Assert.Equal(200.00m, refund.Amount("amount"));
    }

    [Fact]
    public async Task ListChargesReturnsEveryChargeOfTheCustomer()
    {
        var result = (await Server.Client.CallAsync("list_charges", ("customer_id", "CUST-7"))).Json();

        Assert.Equal("dana@example.com", result.Text("email"));
        Assert.Equal(["CH-1", "CH-2", "CH-5"], result.GetProperty("charges").EnumerateArray().Select(c => c.Text("charge_id")).Order());
    }

    [Fact]
    public async Task RefundWithinTheChargeIsPaidAndReportsWhatRemains()
    {
        var receipt = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1003"), ("charge_id", "CH-3"), ("amount", 50.00m), ("reason", "unused month"), ("idempotency_key", "happy-1"))).Json();

        Assert.StartsWith("RF-", receipt.Text("refund_id"), StringComparison.Ordinal);
        Assert.Equal(50.00m, receipt.Amount("amount"));
        Assert.Equal(200.00m, receipt.Amount("remaining_refundable"));
        Assert.False(receipt.GetProperty("replayed").GetBoolean());
        var invoice = (await Server.Client.CallAsync("get_invoice", ("invoice_id", "INV-1003"))).Json();
        Assert.Equal(receipt.Text("refund_id"), Assert.Single(invoice.GetProperty("refunds").EnumerateArray()).Text("refund_id"));
        Assert.Equal(5000, BillingData.RefundedCents(Server.Data, "CH-3"));
    }

    [Fact]
    public async Task RefundAboveTheChargeIsRefusedNamingTheRefundableRemainder()
    {
        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1002"), ("charge_id", "CH-1"), ("amount", 60.00m), ("reason", "duplicate charge"), ("idempotency_key", "over-1"))).Error();

        Assert.Contains("49.00 refundable", error, StringComparison.Ordinal);
        Assert.Contains("Refund at most 49.00", error, StringComparison.Ordinal);
        Assert.Equal(0, BillingData.RefundedCents(Server.Data, "CH-1"));
    }

    [Fact]
    public async Task RetriedRefundWithSameKeyPaysOnce()
    {
        (string, object?)[] refund =
            [("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 49.00m), ("reason", "duplicate charge"), ("idempotency_key", "retry-1")];

        var first = (await Server.Client.CallAsync("issue_refund", refund)).Json();
        var retry = (await Server.Client.CallAsync("issue_refund", refund)).Json();

        Assert.Equal(first.Text("refund_id"), retry.Text("refund_id"));
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(0.00m, retry.Amount("remaining_refundable"));
        Assert.Equal(1, BillingData.RefundRows(Server.Data, "retry-1"));
        Assert.Equal(4900, BillingData.RefundedCents(Server.Data, "CH-2"));
    }

    [Fact]
    public async Task ConcurrentRetriesWithSameKeyPayOnce()
    {
        var calls = Enumerable.Range(0, 5).Select(_ => Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1005"), ("charge_id", "CH-6"), ("amount", 49.00m), ("reason", "duplicate charge"), ("idempotency_key", "race-1")));

        var receipts = (await Task.WhenAll(calls)).Select(r => r.Json()).ToList();

        Assert.Single(receipts.Select(r => r.Text("refund_id")).Distinct());
        Assert.Single(receipts, r => !r.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, BillingData.RefundRows(Server.Data, "race-1"));
        Assert.Equal(4900, BillingData.RefundedCents(Server.Data, "CH-6"));
    }

    [Fact]
    public async Task SameKeyWithDifferentArgumentsIsRefused()
    {
        var first = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1004"), ("charge_id", "CH-4"), ("amount", 10.00m), ("reason", "goodwill"), ("idempotency_key", "reuse-1"))).Json();

        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1004"), ("charge_id", "CH-4"), ("amount", 20.00m), ("reason", "goodwill"), ("idempotency_key", "reuse-1"))).Error();

        Assert.Contains("already used for refund " + first.Text("refund_id"), error, StringComparison.Ordinal);
        Assert.Contains("Use a new key", error, StringComparison.Ordinal);
        Assert.Equal(1, BillingData.RefundRows(Server.Data, "reuse-1"));
        Assert.Equal(20000 + 1000, BillingData.RefundedCents(Server.Data, "CH-4"));
    }

    [Fact]
    public async Task UnknownInvoiceGivesAnErrorSayingWhatToDo()
    {
        var error = (await Server.Client.CallAsync("get_invoice", ("invoice_id", "INV-9999"))).Error();

        Assert.Contains("Invoice 'INV-9999' does not exist", error, StringComparison.Ordinal);
        Assert.Contains("list_charges", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChargeFromAnotherInvoiceIsRefusedListingTheInvoicesCharges()
    {
        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1002"), ("charge_id", "CH-3"), ("amount", 1.00m), ("reason", "test"), ("idempotency_key", "wrong-charge-1"))).Error();

        Assert.Contains("its charges are CH-1, CH-2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArgumentGivesAnErrorNamingIt()
    {
        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1002"), ("charge_id", "CH-1"), ("reason", "duplicate charge"), ("idempotency_key", "missing-1"))).Error();

        Assert.Contains("Missing required argument 'amount'", error, StringComparison.Ordinal);
        Assert.Contains("amount (number, required)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongArgumentTypeGivesAnErrorNamingTheExpectedType()
    {
        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1002"), ("charge_id", "CH-1"), ("amount", "lots"), ("reason", "duplicate charge"), ("idempotency_key", "type-1"))).Error();

        Assert.Contains("Argument 'amount' must be a number, but got the string \"lots\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task NonPositiveAmountIsRefused(int amount)
    {
        var error = (await Server.Client.CallAsync("issue_refund",
            ("invoice_id", "INV-1002"), ("charge_id", "CH-1"), ("amount", amount), ("reason", "duplicate charge"), ("idempotency_key", $"zero-{amount}"))).Error();

        Assert.Contains("amount must be greater than 0", error, StringComparison.Ordinal);
        Assert.Equal(0, BillingData.RefundedCents(Server.Data, "CH-1"));
    }

    [Fact]
    public async Task LogsGoToStandardErrorSoStdoutCarriesOnlyProtocol()
    {
        // Every call parses, so stdout holds only JSON-RPC; the host's own log lines arrive on stderr.
        (await Server.Client.CallAsync("get_invoice", ("invoice_id", "INV-1001"))).Json();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Server.StandardError.Any(line => line.Contains("Application started", StringComparison.Ordinal)) && waited.Elapsed < Timeouts.Call)
        {
            await Task.Delay(50);
        }

        Assert.Contains(Server.StandardError, line => line.Contains("Application started", StringComparison.Ordinal));
    }
}
