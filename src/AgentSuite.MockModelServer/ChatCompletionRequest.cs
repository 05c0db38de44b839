using System.Text.Json;
using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>A <c>POST /v1/chat/completions</c> body, read into what the mock model takes. Fields it does not know are ignored.</summary>
public sealed record ChatCompletionRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    /// <exception cref="InvalidRequestException">A field is missing, has the wrong type, or asks for what the mock cannot do.</exception>
    public static ChatCompletionRequest Read(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType("body", "a JSON object such as {\"model\":\"agentsuite-mock\",\"messages\":[...]}", request);
        }

        if (JsonFields.Integer(request, "n", "n") is { } n and not 1)
        {
            throw new InvalidRequestException($"'n' is {n}: the mock model gives exactly one choice. Leave 'n' out or send 1.", "n");
        }

        var model = JsonFields.String(request, "model", "model") ?? MockChatClient.ModelId;
        var messages = ChatMessageReader.Read(request);
        var options = new ChatOptions
        {
            ModelId = model,
            Tools = ChatToolReader.ReadTools(request),
            ToolMode = ChatToolReader.ReadToolChoice(request),
            AllowMultipleToolCalls = JsonFields.Boolean(request, "parallel_tool_calls", "parallel_tool_calls"),
            Temperature = (float?)JsonFields.Number(request, "temperature", "temperature"),
            MaxOutputTokens = JsonFields.Integer(request, "max_completion_tokens", "max_completion_tokens") ?? JsonFields.Integer(request, "max_tokens", "max_tokens"),
        };

        // OpenAI-compatible providers name the agent as the first system message's participant name.
        if (messages.FirstOrDefault(m => m.Role == ChatRole.System)?.AuthorName is { Length: > 0 } agent)
        {
            options.AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = agent };
        }

        var streamOptions = JsonFields.Object(request, "stream_options", "stream_options");
        return new ChatCompletionRequest(
            model,
            messages,
            options,
            JsonFields.Boolean(request, "stream", "stream") ?? false,
            streamOptions is { } so && (JsonFields.Boolean(so, "include_usage", "stream_options.include_usage") ?? false));
    }
}
