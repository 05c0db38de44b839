using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// One model exchange as a line of a recording (format 1, documented in docs/mock-model.md): the request's messages,
/// offered tools, tool mode and model options, and the response. Only what a model reads and answers is written, every
/// string scrubbed of secrets: no headers, no raw provider objects, no additional properties but agent and conversation.
/// </summary>
internal static class RecordingLine
{
    public const int Format = 1;

    // A recording is read by people and by the converter, not embedded in HTML: keep quotes and letters as they are.
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(int sequence, RecordedRequest request, ChatResponse response, SecretScrubber scrub)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            writer.WriteNumber("seq", sequence);
            writer.WriteString("time", request.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            scrub.WriteString(writer, "conversation", request.Conversation);
            scrub.WriteString(writer, "agent", request.Agent);
            writer.WriteBoolean("streaming", request.Streaming);
            writer.WriteStartObject("request");
            WriteMessages(writer, request.Messages, scrub);
            WriteOptions(writer, request.Options, scrub);
            writer.WriteEndObject();
            writer.WriteStartObject("response");
            WriteResponse(writer, response, scrub);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMessages(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, SecretScrubber scrub)
    {
        var tools = messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .GroupBy(c => c.CallId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Name, StringComparer.Ordinal);
        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            scrub.WriteString(writer, "author", message.AuthorName);
            if (message.Text is { Length: > 0 } text)
            {
                writer.WriteString("text", scrub.Scrub(text));
            }

            WriteCalls(writer, message.Contents.OfType<FunctionCallContent>().ToList(), scrub);
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            if (results.Count > 0)
            {
                writer.WriteStartArray("results");
                foreach (var result in results)
                {
                    var tool = tools.GetValueOrDefault(result.CallId);
                    writer.WriteStartObject();
                    writer.WriteString("callId", scrub.Scrub(result.CallId));
                    scrub.WriteString(writer, "name", tool);
                    writer.WriteString("outcome", ToolResult.From(result, tool).Outcome);
                    writer.WritePropertyName("result");
                    scrub.Write(writer, result.Result is string s ? JsonText.String(s) : Json(result.Result));
                    scrub.WriteString(writer, "exception", result.Exception?.Message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions? options, SecretScrubber scrub)
    {
        writer.WriteStartArray("tools");
        foreach (var tool in options?.Tools ?? [])
        {
            writer.WriteStringValue(scrub.Scrub(tool.Name));
        }

        writer.WriteEndArray();
        scrub.WriteString(writer, "toolMode", options?.ToolMode switch
        {
            NoneChatToolMode => "none",
            AutoChatToolMode => "auto",
            RequiredChatToolMode { RequiredFunctionName: { } name } => "required:" + name,
            RequiredChatToolMode => "required",
            _ => null,
        });
        writer.WriteStartObject("options");
        if (options is not null)
        {
            scrub.WriteString(writer, "modelId", options.ModelId);
            scrub.WriteString(writer, "instructions", options.Instructions);
            Number(writer, "temperature", options.Temperature);
            Number(writer, "maxOutputTokens", options.MaxOutputTokens);
            Number(writer, "topP", options.TopP);
            Number(writer, "topK", options.TopK);
            Number(writer, "frequencyPenalty", options.FrequencyPenalty);
            Number(writer, "presencePenalty", options.PresencePenalty);
            Number(writer, "seed", options.Seed);
            if (options.StopSequences is { Count: > 0 } stops)
            {
                writer.WriteStartArray("stopSequences");
                foreach (var stop in stops)
                {
                    writer.WriteStringValue(scrub.Scrub(stop));
                }

                writer.WriteEndArray();
            }

            scrub.WriteString(writer, "responseFormat", options.ResponseFormat switch
            {
                ChatResponseFormatText => "text",
                ChatResponseFormatJson { Schema: null } => "json",
                ChatResponseFormatJson => "json_schema",
                _ => null,
            });
            if (options.AllowMultipleToolCalls is { } multiple)
            {
                writer.WriteBoolean("allowMultipleToolCalls", multiple);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter writer, ChatResponse response, SecretScrubber scrub)
    {
        writer.WriteString("text", scrub.Scrub(response.Text));
        WriteCalls(writer, response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList(), scrub);
        scrub.WriteString(writer, "finishReason", response.FinishReason?.Value);
        if (response.Usage is { } usage)
        {
            writer.WriteStartObject("usage");
            Number(writer, "inputTokens", usage.InputTokenCount);
            Number(writer, "outputTokens", usage.OutputTokenCount);
            Number(writer, "totalTokens", usage.TotalTokenCount);
            writer.WriteEndObject();
        }

        scrub.WriteString(writer, "modelId", response.ModelId);
    }

    private static void WriteCalls(Utf8JsonWriter writer, List<FunctionCallContent> calls, SecretScrubber scrub)
    {
        if (calls.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("calls");
        foreach (var call in calls)
        {
            writer.WriteStartObject();
            writer.WriteString("callId", scrub.Scrub(call.CallId));
            writer.WriteString("name", scrub.Scrub(call.Name));
            writer.WriteStartObject("arguments");
            foreach (var (name, value) in call.Arguments ?? new Dictionary<string, object?>())
            {
                writer.WritePropertyName(scrub.Scrub(name));
                scrub.Write(writer, Json(value));
            }

            writer.WriteEndObject();
            scrub.WriteString(writer, "error", call.Exception?.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A value as the JSON a provider sends: JSON stays as written (49.00 stays 49.00), text stays text.</summary>
    private static JsonElement Json(object? value)
    {
        switch (value)
        {
            case JsonElement element:
                return element;
            case null:
                return JsonSerializer.SerializeToElement<object?>(null);
            default:
                try
                {
                    return JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions);
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
                {
                    return JsonText.String(value.ToString() ?? "");
                }
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
