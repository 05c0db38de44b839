using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>
/// A streamed answer: a role chunk, the mock's text pieces or tool calls as deltas, a chunk with the finish reason, the
/// usage chunk when asked for, then <c>data: [DONE]</c>.
/// </summary>
internal sealed class ChatCompletionStreamResult(ChatCompletionRequest request, IAsyncEnumerable<ChatResponseUpdate> updates, long created) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var http = httpContext.Response;
        var aborted = httpContext.RequestAborted;
        http.ContentType = "text/event-stream";
        http.Headers.CacheControl = "no-cache";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var chunks = new ChatCompletionChunkWriter(http.BodyWriter, request.Model, created, aborted);
        ChatFinishReason? finish = null;
        UsageDetails? usage = null;
        var toolCallIndex = 0;
        await foreach (var update in updates.WithCancellation(aborted))
        {
            if (chunks.Id.Length == 0)
            {
                chunks.Id = update.ResponseId ?? "";
                await chunks.WriteDeltaAsync(delta => delta.WriteString("role", "assistant"));
            }

            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        await chunks.WriteDeltaAsync(delta => delta.WriteString("content", text.Text));
                        break;
                    case FunctionCallContent call:
                        await WriteToolCallAsync(chunks, call, toolCallIndex++);
                        break;
                    case UsageContent used:
                        usage = used.Details;
                        break;
                    default:
                        break;
                }
            }

            finish = update.FinishReason ?? finish;
        }

        await chunks.WriteDeltaAsync(_ => { }, OpenAIWire.FinishReason(finish));
        if (request.IncludeUsage)
        {
            await chunks.WriteUsageAsync(usage);
        }

        await chunks.WriteDoneAsync();
    }

    /// <summary>
    /// The call's id and name first, then its arguments in two pieces, as real models stream them, so a client's
    /// accumulation of argument deltas is exercised.
    /// </summary>
    private static async Task WriteToolCallAsync(ChatCompletionChunkWriter chunks, FunctionCallContent call, int index)
    {
        await chunks.WriteDeltaAsync(delta => WriteToolCallDelta(delta, index, call, ""));
        var arguments = OpenAIWire.Arguments(call);
        var cut = arguments.Length / 2;
        if (char.IsLowSurrogate(arguments[cut]))
        {
            cut++;
        }

        await chunks.WriteDeltaAsync(delta => WriteToolCallDelta(delta, index, null, arguments[..cut]));
        await chunks.WriteDeltaAsync(delta => WriteToolCallDelta(delta, index, null, arguments[cut..]));
    }

    /// <summary>One tool call delta; <paramref name="first"/> (the call's first delta) adds its id, type and name.</summary>
    private static void WriteToolCallDelta(Utf8JsonWriter delta, int index, FunctionCallContent? first, string arguments)
    {
        delta.WriteStartArray("tool_calls");
        delta.WriteStartObject();
        delta.WriteNumber("index", index);
        if (first is not null)
        {
            delta.WriteString("id", first.CallId);
            delta.WriteString("type", "function");
        }

        delta.WriteStartObject("function");
        if (first is not null)
        {
            delta.WriteString("name", first.Name);
        }

        delta.WriteString("arguments", arguments);
        delta.WriteEndObject();
        delta.WriteEndObject();
        delta.WriteEndArray();
    }
}
