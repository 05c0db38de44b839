using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>Writes <c>chat.completion.chunk</c> server-sent events (<c>data: {...}\n\n</c>), each flushed as it is written.</summary>
internal sealed class ChatCompletionChunkWriter(PipeWriter body, string model, long created, CancellationToken cancellationToken) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(body, OpenAIWire.WriterOptions);

    /// <summary>The response id every chunk carries.</summary>
    public string Id { get; set; } = "";

    /// <summary>One choice chunk: <paramref name="delta"/> writes the delta's fields; the last chunk carries the finish reason.</summary>
    public Task WriteDeltaAsync(Action<Utf8JsonWriter> delta, string? finishReason = null) => WriteEventAsync(json =>
    {
        OpenAIWire.WriteHeader(json, Id, "chat.completion.chunk", created, model);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        delta(json);
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
    });

    /// <summary>The usage chunk OpenAI sends after the choices when <c>stream_options.include_usage</c> is true: no choices, only usage.</summary>
    public Task WriteUsageAsync(UsageDetails? usage) => WriteEventAsync(json =>
    {
        OpenAIWire.WriteHeader(json, Id, "chat.completion.chunk", created, model);
        json.WriteStartArray("choices");
        json.WriteEndArray();
        OpenAIWire.WriteUsage(json, usage);
    });

    public async Task WriteDoneAsync()
    {
        body.Write("data: [DONE]\n\n"u8);
        await body.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();

    private async Task WriteEventAsync(Action<Utf8JsonWriter> write)
    {
        body.Write("data: "u8);
        _json.Reset(body);
        _json.WriteStartObject();
        write(_json);
        _json.WriteEndObject();
        _json.Flush();
        body.Write("\n\n"u8);

        // Each event leaves at once, so a client sees the answer while it is being made.
        await body.FlushAsync(cancellationToken);
    }
}
