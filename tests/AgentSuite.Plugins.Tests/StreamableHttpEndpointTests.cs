using System.Net;
using System.Text;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>The session rules of the Streamable HTTP endpoint, spoken in raw HTTP where the official client would hide them.</summary>
public sealed class StreamableHttpEndpointTests(BillingHttpFixture fixture) : IClassFixture<BillingHttpFixture>
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private const string ListTools = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    private HttpPlugin Server => fixture.Server;

    [Fact]
    public async Task InitializeStartsASessionThatDeleteEnds()
    {
        using var initialized = await PostAsync(Initialize);
        var sessionId = Assert.Single(initialized.Headers.GetValues("Mcp-Session-Id"));
        Assert.Equal(HttpStatusCode.OK, initialized.StatusCode);

        using var notified = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", sessionId);
        using var listed = await PostAsync(ListTools, sessionId);
        using var deleted = await SendAsync(HttpMethod.Delete, null, sessionId);
        using var afterDelete = await PostAsync(ListTools, sessionId);

        Assert.Equal(HttpStatusCode.Accepted, notified.StatusCode);
        Assert.Contains("issue_refund", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Contains("start a new session with initialize", await afterDelete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWithoutSessionThatIsNotInitializeIsRejected()
    {
        using var response = await PostAsync(ListTools);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("only an initialize request may start a new session", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientThatDoesNotAcceptEventStreamsIsRejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.McpUri) { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task BodyThatIsNotJsonRpcIsRejected()
    {
        using var response = await PostAsync("this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? sessionId = null) => SendAsync(HttpMethod.Post, body, sessionId);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string? body, string? sessionId)
    {
        using var request = new HttpRequestMessage(method, Server.McpUri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        return await Server.Http.SendAsync(request);
    }
}
