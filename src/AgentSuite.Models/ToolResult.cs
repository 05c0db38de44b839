using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// One tool result in the conversation as the mock reads it. A governance envelope (<c>{"type":"tool_result","content":...}</c>)
/// is looked through to its <see cref="Content"/>; a governance denial (<c>{"status":"denied","reason":...}</c>) and a
/// failure (an exception, <c>{"status":"failed"|"error","error":...}</c>, or text starting <c>Error:</c>) are recognised.
/// </summary>
internal sealed class ToolResult
{
    private ToolResult(string callId, string tool, JsonElement value, JsonElement content, string? denial, string? stage, string? error)
    {
        CallId = callId;
        Tool = tool;
        Value = value;
        Content = content;
        DenialReason = denial;
        DenialStage = stage;
        ErrorMessage = error;
    }

    public string CallId { get; }

    /// <summary>The model-facing name of the tool that was called, or the call id when the call is not in the conversation.</summary>
    public string Tool { get; }

    /// <summary>The result as the model reads it.</summary>
    public JsonElement Value { get; }

    /// <summary>What paths resolve against: the envelope's content, or the value itself.</summary>
    public JsonElement Content { get; }

    public bool IsDenied => DenialReason is not null;

    public string? DenialReason { get; }

    public string? DenialStage { get; }

    public bool IsError => ErrorMessage is not null;

    public string? ErrorMessage { get; }

    /// <summary>How the call came back, as recordings keep it and replays compare it: <c>ok</c>, <c>denied</c> or <c>failed</c>.</summary>
    public string Outcome => IsDenied ? Outcomes.Denied : IsError ? Outcomes.Failed : Outcomes.Ok;

    public static ToolResult From(FunctionResultContent result, string? tool)
    {
        var value = JsonText.FromResult(result.Result);
        var content = value;
        string? denial = null, stage = null, error = null;
        if (value.ValueKind == JsonValueKind.Object)
        {
            var status = Text(value, "status");
            if (Text(value, "type") == "tool_result" && value.TryGetProperty("content", out var inner))
            {
                content = inner.ValueKind == JsonValueKind.String && JsonText.TryParseStructured(inner.GetString()!, out var parsed) ? parsed : inner;
            }
            else if (string.Equals(status, "denied", StringComparison.OrdinalIgnoreCase))
            {
                denial = Text(value, "reason") ?? "no reason was given";
                stage = Text(value, "stage");
            }
            else if (string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "error", StringComparison.OrdinalIgnoreCase))
            {
                error = Text(value, "error") ?? Text(value, "message") ?? Text(value, "reason") ?? JsonText.Compact(value);
            }
            else if (Text(value, "error") is { Length: > 0 } message)
            {
                error = message;
            }
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith("Error:", StringComparison.Ordinal))
        {
            // FunctionInvokingChatClient's convention for a tool that threw.
            error = value.GetString()!["Error:".Length..].Trim();
        }

        if (result.Exception is { } exception)
        {
            error = exception.Message;
        }

        return new ToolResult(result.CallId, tool ?? result.CallId, value, content, denial, stage, error);
    }

    private static string? Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
}
