using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSuite.Api.Tests.Support;

/// <summary>A turn sent with <c>Accept: text/event-stream</c>, read event by event as a browser would.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public List<JsonElement> Received { get; } = [];

    /// <summary>The stream's response, for its headers.</summary>
    public HttpResponseMessage Response => _response;

    public static async Task<EventStream> SendAsync(HttpClient client, string conversationId, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversationId}/messages") { Content = JsonContent.Create(new { text }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Opens any event-stream request (re-attaching to a turn, say).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads until an event of <paramref name="type"/> arrives (and returns it), or the stream ends (null).</summary>
    public async Task<JsonElement?> ReadUntilAsync(string type, TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(60));
        string? eventType = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonSerializer.Deserialize<JsonElement>(line["data: ".Length..]);
                Assert.Equal(eventType, data.GetProperty("type").GetString());
                Received.Add(data);
                if (eventType == type)
                {
                    return data;
                }
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
