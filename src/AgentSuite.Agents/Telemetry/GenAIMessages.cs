using System.Text.Json;
using AgentSuite.Governance.Screening;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Telemetry;

/// <summary>
/// Chat messages as the GenAI conventions' <c>gen_ai.input.messages</c> / <c>gen_ai.output.messages</c> JSON:
/// <c>[{"role":"user","parts":[{"type":"text","content":"..."}]}]</c>, with tool calls as <c>tool_call</c> parts and
/// tool results as <c>tool_call_response</c> parts. Every text and value passes the secret redactor.
/// </summary>
internal static class GenAIMessages
{
    public static string Input(IEnumerable<ChatMessage> messages, SecretRedactor? redactor) => TelemetryContent.Write(w =>
    {
        w.WriteStartArray();
        foreach (var message in messages)
        {
            WriteMessage(w, message, redactor, finishReason: null);
        }

        w.WriteEndArray();
    });

    /// <summary>One model response: its messages, each with the response's finish reason.</summary>
    public static string Output(IEnumerable<ChatMessage> messages, string finishReason, SecretRedactor? redactor) => TelemetryContent.Write(w =>
    {
        w.WriteStartArray();
        foreach (var message in messages)
        {
            WriteMessage(w, message, redactor, finishReason);
        }

        w.WriteEndArray();
    });

    /// <summary>An agent's instructions as <c>gen_ai.system_instructions</c>: <c>[{"type":"text","content":"..."}]</c>.</summary>
    public static string Instructions(string text, SecretRedactor? redactor) => TelemetryContent.Write(w =>
    {
        w.WriteStartArray();
        WriteText(w, "text", text, redactor);
        w.WriteEndArray();
    });

    /// <summary>The output-message schema's finish reason for <paramref name="reason"/> (it says <c>tool_call</c>, not <c>tool_calls</c>).</summary>
    public static string FinishReason(ChatFinishReason? reason, bool calledTools) =>
        reason == ChatFinishReason.ToolCalls ? "tool_call"
        : reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : reason == ChatFinishReason.Stop ? "stop"
        : reason?.Value ?? (calledTools ? "tool_call" : "stop");

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message, SecretRedactor? redactor, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteString("role", message.Role.Value);
        w.WriteStartArray("parts");
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    WriteText(w, "text", text.Text, redactor);
                    break;
                case TextReasoningContent reasoning:
                    WriteText(w, "reasoning", reasoning.Text, redactor);
                    break;
                case FunctionCallContent call:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_call");
                    w.WriteString("id", call.CallId);
                    w.WriteString("name", call.Name);
                    w.WritePropertyName("arguments");
                    TelemetryContent.WriteJson(w, call.Arguments, redactor);
                    w.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_call_response");
                    w.WriteString("id", result.CallId);
                    w.WritePropertyName("response");
                    TelemetryContent.WriteJson(w, result.Result, redactor);
                    w.WriteEndObject();
                    break;
                default:
                    // Media and other parts: their kind only, never their bytes.
                    w.WriteStartObject();
                    w.WriteString("type", content.GetType().Name);
                    w.WriteEndObject();
                    break;
            }
        }

        w.WriteEndArray();
        if (finishReason is not null)
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, string type, string text, SecretRedactor? redactor)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("content", TelemetryContent.Text(text, redactor));
        w.WriteEndObject();
    }
}
