using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests.Model;

/// <summary>
/// An OpenAI-protocol server on real Kestrel (127.0.0.1) that answers <c>POST /v1/chat/completions</c> with queued
/// fixture answers, in order, and keeps every request it was sent (body and headers) for the test to read.
/// When the queue is empty it answers 500, so a test that asks more than it queued fails loudly.
/// </summary>
public sealed class FixtureModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FixtureAnswer> _answers = new();
    private readonly ConcurrentQueue<FixtureRequest> _requests = new();

    private FixtureModelServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address to give a client, including <c>/v1</c>.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<FixtureRequest> Requests => [.. _requests];

    public static async Task<FixtureModelServer> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FixtureModelServer(app, new Uri($"http://127.0.0.1:{port}/v1"));
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Queues a JSON answer read from <c>Model/Fixtures/{name}</c>.</summary>
    public FixtureModelServer Reply(string fixture, int status = 200, params (string Name, string Value)[] headers) =>
        ReplyAfter(TimeSpan.Zero, fixture, status, headers);

    /// <summary>Queues an answer that arrives only after <paramref name="delay"/> (to test what times out and what does not).</summary>
    public FixtureModelServer ReplyAfter(TimeSpan delay, string fixture, int status = 200, params (string Name, string Value)[] headers) =>
        Enqueue(new FixtureAnswer(status, fixture.EndsWith(".sse", StringComparison.Ordinal) ? "text/event-stream" : "application/json", Fixture(fixture), headers, delay));

    public FixtureModelServer Enqueue(FixtureAnswer answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Model", "Fixtures", name));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        _requests.Enqueue(new FixtureRequest(
            JsonDocument.Parse(body).RootElement.Clone(),
            body,
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            DateTimeOffset.UtcNow));
        if (!_answers.TryDequeue(out var answer))
        {
            http.Response.StatusCode = 500;
            await http.Response.WriteAsync("""{"error":{"message":"The fixture server has no more answers queued.","type":"server_error"}}""");
            return;
        }

        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // A streaming request gets a completion fixture as the chunks OpenAI would stream for it.
        var streamed = answer.Status == 200 && answer.ContentType == "application/json"
            && _requests.Last().Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = streamed ? "text/event-stream" : answer.ContentType;
        foreach (var (name, value) in answer.Headers)
        {
            http.Response.Headers[name] = value;
        }

        await http.Response.WriteAsync(streamed ? AsChunks(answer.Body) : answer.Body);
    }

    /// <summary>
    /// A <c>chat.completion</c> as OpenAI streams it: the message in one delta (tool calls with their index), then the
    /// finish reason, then the usage chunk, then <c>[DONE]</c>.
    /// </summary>
    public static string AsChunks(string completionJson)
    {
        var completion = JsonNode.Parse(completionJson)!.AsObject();
        var choice = completion["choices"]![0]!.AsObject();
        var message = choice["message"]!.AsObject();
        var delta = new JsonObject { ["role"] = "assistant", ["content"] = message["content"]?.DeepClone() };
        if (message["tool_calls"] is JsonArray calls)
        {
            var indexed = new JsonArray();
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i]!.DeepClone().AsObject();
                call["index"] = i;
                indexed.Add(call);
            }

            delta["tool_calls"] = indexed;
        }

        JsonObject Chunk(JsonArray choices, JsonNode? usage) => new()
        {
            ["id"] = completion["id"]?.DeepClone(),
            ["object"] = "chat.completion.chunk",
            ["created"] = completion["created"]?.DeepClone(),
            ["model"] = completion["model"]?.DeepClone(),
            ["choices"] = choices,
            ["usage"] = usage,
        };

        var chunks = new[]
        {
            Chunk([new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }], null),
            Chunk([new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = choice["finish_reason"]?.DeepClone() }], null),
            Chunk([], completion["usage"]?.DeepClone()),
        };
        return string.Concat(chunks.Select(c => $"data: {c.ToJsonString()}\n\n")) + "data: [DONE]\n\n";
    }
}

public sealed record FixtureAnswer(int Status, string ContentType, string Body, IReadOnlyList<(string Name, string Value)> Headers, TimeSpan Delay);

public sealed record FixtureRequest(JsonElement Json, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At);
