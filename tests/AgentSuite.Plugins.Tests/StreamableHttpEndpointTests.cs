using System.Net;
using System.Text;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// The Streamable HTTP endpoint as plugins ship it (stateless), spoken in raw HTTP where the official client would hide
/// the rules: every request stands alone, so any instance behind a load balancer can answer it, and bad requests get a
/// JSON-RPC error with a 4xx status, never a 500.
/// </summary>
public sealed class StreamableHttpEndpointTests(BillingHttpFixture fixture) : IClassFixture<BillingHttpFixture>
{
    private HttpPlugin Server => fixture.Server;

    [Fact]
    public async Task InitializeStartsNoSessionAndAnyRequestIsAnsweredOnItsOwn()
    {
        using var initialized = await Server.PostAsync(RawMcp.Initialize);
        var handshake = await initialized.EventDataAsync();
        using var listed = await Server.PostAsync(RawMcp.ListTools);

        Assert.Equal(HttpStatusCode.OK, initialized.StatusCode);
        Assert.False(initialized.Headers.Contains(RawMcp.SessionIdHeader));
        Assert.Contains("\"protocolVersion\":\"2025-11-25\"", handshake, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("issue_refund", await listed.EventDataAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionIdIsRefusedWithAClearError()
    {
        using var response = await Server.PostAsync(RawMcp.ListTools, sessionId: "not-a-session");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal(-32000, code);
        Assert.Contains("Mcp-Session-Id header is not supported in stateless mode", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventStreamAndDeleteAreNotOfferedWithoutSessions()
    {
        using var get = await Server.SendAsync(HttpMethod.Get, null);
        using var delete = await Server.SendAsync(HttpMethod.Delete, null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal(["POST"], get.Content.Headers.Allow);
    }

    [Fact]
    public async Task ClientThatDoesNotAcceptEventStreamsIsRejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.McpUri) { Content = new StringContent(RawMcp.Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("must accept both application/json and text/event-stream", (await response.ErrorAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyThatIsNotJsonRpcIsRejected()
    {
        using var response = await Server.PostAsync("this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal(-32600, code);
        Assert.Contains("did not contain a valid JSON-RPC message", message, StringComparison.Ordinal);
    }
}
