using System.Net;
using System.Text.Json;
using AgentSuite.Plugins.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// The billing server over real Streamable HTTP (stateless, as it ships) with the official <see cref="HttpClientTransport"/>,
/// in both ways a client may speak: the client's default (2026-07-28, no handshake) and the initialize handshake (2025-11-25),
/// which a stateless server answers without a session.
/// </summary>
public sealed class BillingOverHttpTests(BillingHttpFixture fixture) : IClassFixture<BillingHttpFixture>
{
    private const string Sessionless = "client default";
    private const string WithSession = "2025-11-25";

    private HttpPlugin Server => fixture.Server;

    [Fact]
    public async Task HealthEndpointAnswersHealthyInTheApisFormat()
    {
        using var response = await Server.Http.GetAsync(new Uri(Server.BaseUri, "/health"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("self").GetProperty("status").GetString());
        Assert.Equal(Server.Data.Path, checks.GetProperty("data").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData(Sessionless)]
    [InlineData(WithSession)]
    public async Task ListsBillingToolsWithAnnotationsOverHttp(string protocol)
    {
        await using var client = await ConnectAsync(protocol);

        var tools = (await client.ListToolsAsync(cancellationToken: Timeouts.CallToken())).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(protocol == Sessionless ? "2026-07-28" : WithSession, client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);
        Assert.Equal(["get_invoice", "issue_refund", "list_charges"], tools.Keys.Order());
        Assert.True(tools["get_invoice"].Annotations!.ReadOnlyHint);
        Assert.True(tools["issue_refund"].Annotations!.DestructiveHint);
    }

    [Theory]
    [InlineData(Sessionless, "CH-1")]
    [InlineData(WithSession, "CH-2")]
    public async Task RetriedRefundWithSameKeyPaysOnceOverHttp(string protocol, string charge)
    {
        await using var client = await ConnectAsync(protocol);
        (string, object?)[] refund =
            [("invoice_id", "INV-1002"), ("charge_id", charge), ("amount", 49.00m), ("reason", "duplicate charge"), ("idempotency_key", "http-" + charge)];

        var first = (await client.CallAsync("issue_refund", refund)).Json();
        var retry = (await client.CallAsync("issue_refund", refund)).Json();

        Assert.Equal(first.Text("refund_id"), retry.Text("refund_id"));
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, BillingData.RefundRows(Server.Data, "http-" + charge));
        Assert.Equal(4900, BillingData.RefundedCents(Server.Data, charge));
    }

    [Theory]
    [InlineData(Sessionless)]
    [InlineData(WithSession)]
    public async Task RefundAboveTheChargeIsRefusedOverHttp(string protocol)
    {
        await using var client = await ConnectAsync(protocol);

        var error = (await client.CallAsync("issue_refund",
            ("invoice_id", "INV-1003"), ("charge_id", "CH-3"), ("amount", 300.00m), ("reason", "unhappy"), ("idempotency_key", "http-over-" + protocol))).Error();

        Assert.Contains("Refund at most 250.00", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Sessionless)]
    [InlineData(WithSession)]
    public async Task BadArgumentsGiveActionableErrorsOverHttp(string protocol)
    {
        await using var client = await ConnectAsync(protocol);

        var unknown = (await client.CallAsync("get_invoice", ("invoice_id", "INV-404"))).Error();
        var missing = (await client.CallAsync("get_invoice")).Error();

        Assert.Contains("Invoice 'INV-404' does not exist", unknown, StringComparison.Ordinal);
        Assert.Contains("Missing required argument 'invoice_id'", missing, StringComparison.Ordinal);
    }

    private Task<McpClient> ConnectAsync(string protocol) => Server.ConnectAsync(protocol == Sessionless ? null : protocol);
}
