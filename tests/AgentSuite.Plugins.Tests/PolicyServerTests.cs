using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>The refund-policy server over real stdio.</summary>
public sealed class PolicyServerTests(PolicyFixture fixture) : IClassFixture<PolicyFixture>
{
    private StdioPlugin Server => fixture.Server;

    [Fact]
    public async Task ListsOnlyReadOnlyPolicyTools()
    {
        var tools = await Server.Client.ListToolsAsync(cancellationToken: Timeouts.CallToken());

        Assert.Equal(["check_refund", "get_refund_policy"], tools.Select(t => t.Name).Order());
        Assert.All(tools, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Description));
            Assert.True(t.ProtocolTool.Annotations!.ReadOnlyHint);
            Assert.False(t.ProtocolTool.Annotations!.DestructiveHint);
        });
    }

    [Fact]
    public async Task RefundPolicyStatesBandsAndWindows()
    {
        var policy = (await Server.Client.CallAsync("get_refund_policy")).Json();

        var bands = policy.GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(["automatic", "second_person", "finance"], bands.Select(b => b.Text("band")));
        Assert.Equal(100.00m, bands[0].Amount("up_to"));
        Assert.Equal(500.00m, bands[1].Amount("up_to"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, bands[2].GetProperty("up_to").ValueKind);
        Assert.Equal(60, policy.GetProperty("duplicate_charge_window_days").GetInt32());
        Assert.Equal(30, policy.GetProperty("standard_window_days").GetInt32());
        Assert.Contains("within 60 days", policy.Text("text"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(49.00, "automatic")]
    [InlineData(100.00, "automatic")]
    [InlineData(100.01, "second_person")]
    [InlineData(500.00, "second_person")]
    [InlineData(900.00, "finance")]
    public async Task CheckRefundPicksTheBandByAmount(double amount, string band)
    {
        var check = (await Server.Client.CallAsync("check_refund",
            ("amount", (decimal)amount), ("days_since_charge", 3), ("reason", "duplicate charge"))).Json();

        Assert.Equal(band, check.Text("band"));
        Assert.True(check.GetProperty("within_window").GetBoolean());
    }

    [Theory]
    [InlineData("duplicate charge", 59, true)]
    [InlineData("charged twice", 75, false)]
    [InlineData("service outage", 29, true)]
    [InlineData("service outage", 45, false)]
    public async Task DuplicateChargesHaveSixtyDaysOtherReasonsThirty(string reason, int days, bool within)
    {
        var check = (await Server.Client.CallAsync("check_refund", ("amount", 49.00m), ("days_since_charge", days), ("reason", reason))).Json();

        Assert.Equal(within, check.GetProperty("within_window").GetBoolean());
        if (!within)
        {
            Assert.Contains("Do not refund", check.Text("explanation"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NegativeDaysSinceChargeIsRefused()
    {
        var error = (await Server.Client.CallAsync("check_refund", ("amount", 10.00m), ("days_since_charge", -1), ("reason", "duplicate charge"))).Error();

        Assert.Contains("days_since_charge must be 0 or more", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FractionalDaysSinceChargeIsRefusedAsNotAnInteger()
    {
        var error = (await Server.Client.CallAsync("check_refund", ("amount", 10.00m), ("days_since_charge", 2.5), ("reason", "duplicate charge"))).Error();

        Assert.Contains("Argument 'days_since_charge' must be an integer, but got the number 2.5", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownArgumentIsRefusedListingWhatTheToolTakes()
    {
        var error = (await Server.Client.CallAsync("check_refund",
            ("amount", 10.00m), ("days", 3), ("reason", "duplicate charge"))).Error();

        Assert.Contains("Unknown argument 'days'", error, StringComparison.Ordinal);
        Assert.Contains("days_since_charge (integer, required)", error, StringComparison.Ordinal);
    }
}
