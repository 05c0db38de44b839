using System.Text;
using System.Text.Json;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Streamable HTTP spoken by hand, for the rules the official client hides: headers, status codes, error bodies.</summary>
public static class RawMcp
{
    public const string SessionIdHeader = "Mcp-Session-Id";

    public const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    public const string ListTools = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    public static Task<HttpResponseMessage> PostAsync(this HttpPlugin server, string body, string? sessionId = null) =>
        server.SendAsync(HttpMethod.Post, body, sessionId);

    /// <summary>Sends <paramref name="body"/> (if any) accepting both JSON and event streams, as the transport requires.</summary>
    public static async Task<HttpResponseMessage> SendAsync(this HttpPlugin server, HttpMethod method, string? body, string? sessionId = null)
    {
        using var request = new HttpRequestMessage(method, server.McpUri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (sessionId is not null)
        {
            request.Headers.Add(SessionIdHeader, sessionId);
        }

        return await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The JSON-RPC error a refusal carries, as (code, message); fails the test if the body is not one.</summary>
    public static async Task<(int Code, string Message)> ErrorAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    /// <summary>Every <c>data:</c> line of an event-stream answer, joined: the JSON-RPC message(s) it carried.</summary>
    public static async Task<string> EventDataAsync(this HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        return string.Concat(lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()));
    }
}
