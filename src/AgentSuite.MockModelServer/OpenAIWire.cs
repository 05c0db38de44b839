using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>The pieces of OpenAI's Chat Completions JSON that answers and stream chunks share.</summary>
internal static class OpenAIWire
{
    /// <summary>JSON for programs, not HTML pages: quotes and non-ASCII text stay readable on the wire.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : "stop";

    /// <summary>A call's arguments as the JSON text OpenAI sends (a string, not an object).</summary>
    public static string Arguments(FunctionCallContent call)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (name, value) in call.Arguments ?? new Dictionary<string, object?>())
            {
                json.WritePropertyName(name);
                if (value is JsonElement element)
                {
                    element.WriteTo(json);
                }
                else
                {
                    JsonSerializer.Serialize(json, value, AIJsonUtilities.DefaultOptions);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteHeader(Utf8JsonWriter json, string id, string type, long created, string model)
    {
        json.WriteString("id", id);
        json.WriteString("object", type);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
    }

    public static void WriteUsage(Utf8JsonWriter json, UsageDetails? usage)
    {
        var prompt = usage?.InputTokenCount ?? 0;
        var completion = usage?.OutputTokenCount ?? 0;
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", prompt);
        json.WriteNumber("completion_tokens", completion);
        json.WriteNumber("total_tokens", usage?.TotalTokenCount ?? prompt + completion);
        json.WriteEndObject();
    }
}
