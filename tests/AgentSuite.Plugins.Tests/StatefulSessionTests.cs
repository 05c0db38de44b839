using System.Net;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// A plugin run with <c>McpHttp__SessionMode=StatefulForInitializeClients</c>: a client that starts with <c>initialize</c>
/// gets an <c>Mcp-Session-Id</c>, its GET event stream and DELETE; a client on the 2026-07-28 revision is still served per request.
/// </summary>
public sealed class StatefulSessionTests(StatefulBillingHttpFixture fixture) : IClassFixture<StatefulBillingHttpFixture>
{
    private HttpPlugin Server => fixture.Server;

    [Fact]
    public async Task InitializeStartsASessionThatDeleteEnds()
    {
        using var initialized = await Server.PostAsync(RawMcp.Initialize);
        var sessionId = Assert.Single(initialized.Headers.GetValues(RawMcp.SessionIdHeader));

        using var notified = await Server.PostAsync(RawMcp.Initialized, sessionId);
        using var listed = await Server.PostAsync(RawMcp.ListTools, sessionId);
        var tools = await listed.EventDataAsync();  // read before DELETE, which ends the session's open streams
        using var deleted = await Server.SendAsync(HttpMethod.Delete, null, sessionId);
        using var afterDelete = await Server.PostAsync(RawMcp.ListTools, sessionId);

        Assert.Equal(HttpStatusCode.OK, initialized.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, notified.StatusCode);
        Assert.Contains("issue_refund", tools, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal((-32001, "Session not found"), await afterDelete.ErrorAsync());
    }

    [Fact]
    public async Task SessionOpensItsEventStream()
    {
        using var initialized = await Server.PostAsync(RawMcp.Initialize);
        var sessionId = Assert.Single(initialized.Headers.GetValues(RawMcp.SessionIdHeader));

        using var stream = await Server.SendAsync(HttpMethod.Get, null, sessionId);

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var deleted = await Server.SendAsync(HttpMethod.Delete, null, sessionId);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task UnknownSessionIdIsNotFound()
    {
        using var response = await Server.PostAsync(RawMcp.ListTools, sessionId: "not-a-session");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal((-32001, "Session not found"), await response.ErrorAsync());
    }

    [Fact]
    public async Task RequestWithoutSessionThatIsNotInitializeIsRejected()
    {
        using var response = await Server.PostAsync(RawMcp.ListTools);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A new session can only be created by an initialize request", (await response.ErrorAsync()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("2025-11-25", true)]
    public async Task OfficialClientGetsASessionOnlyThroughInitialize(string? protocolVersion, bool session)
    {
        await using var client = await Server.ConnectAsync(protocolVersion);

        var invoice = (await client.CallAsync("get_invoice", ("invoice_id", "INV-1002"))).Json();

        Assert.Equal(session, client.SessionId is not null);
        Assert.Equal("INV-1002", invoice.Text("invoice_id"));
    }
}
