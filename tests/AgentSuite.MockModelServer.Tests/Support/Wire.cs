using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>Raw HTTP to the server, for what the official client hides: the exact JSON and the event stream.</summary>
public static class Wire
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(this MockModelServerProcess server, string body, string? apiKey = null)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/chat/completions", body, apiKey);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this MockModelServerProcess server, string path, string? apiKey = null)
    {
        using var response = await server.SendAsync(HttpMethod.Get, path, null, apiKey);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>A streamed answer: its content type and the payload of every <c>data:</c> event, in order.</summary>
    public static async Task<(string? ContentType, List<string> Events)> PostStreamAsync(this MockModelServerProcess server, string body)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/chat/completions", body, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new InvalidOperationException($"Not a data event: {e}"))
            .ToList();
        return (response.Content.Headers.ContentType?.MediaType, events);
    }

    public static async Task<HttpResponseMessage> SendAsync(this MockModelServerProcess server, HttpMethod method, string path, string? body, string? apiKey)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }

        return await server.Http.SendAsync(request);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
