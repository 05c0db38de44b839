using AgentSuite.Api.Tests.Support;
using AgentSuite.AppHost;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>What the tests ask of an Api wired as the AppHost wires it.</summary>
public static class Turns
{
    public const string DuplicateChargeRefund = "I was charged twice on INV-1002, please refund it";

    /// <summary>Runs the duplicate-charge turn and asserts the billing server paid exactly one refund of 49.00 on CH-2.</summary>
    public static async Task AssertRefundPaidOnceAsync(HttpClient alice, string dataFolder)
    {
        var refundsBefore = BillingData.RefundRows(dataFolder);
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = DuplicateChargeRefund });

        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", turn.GetProperty("reply").GetString());
        Assert.Equal(refundsBefore + 1, BillingData.RefundRows(dataFolder));
        Assert.Equal(4900, BillingData.RefundedCents(dataFolder, "CH-2"));
    }

    /// <summary>Asserts /health is healthy and its MCP check lists exactly the AppHost's plugin servers, each with tools.</summary>
    public static async Task AssertHealthShowsThePluginsAsync(HttpClient client)
    {
        var health = await client.GetJsonAsync("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var mcp = health.GetProperty("checks").GetProperty("mcp");
        Assert.Equal("Healthy", mcp.GetProperty("status").GetString());
        var servers = mcp.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(AppHostSettings.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal), servers.Keys.Order(StringComparer.Ordinal));
        Assert.All(servers, s => Assert.True(s.Value > 0, $"{s.Key} lists no tools."));
    }
}
