using System.Text.Json;
using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary><c>POST /v1/chat/completions</c>: reads the request, asks the mock model, answers in OpenAI's shape.</summary>
internal static class ChatCompletionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest http, MockChatClient model, TimeProvider clock, ILoggerFactory loggers)
    {
        ChatCompletionRequest request;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
            request = ChatCompletionRequest.Read(body.RootElement);
        }
        catch (JsonException e)
        {
            return OpenAIError.InvalidRequest(
                $"The request body is not valid JSON ({e.Message}). Send a JSON object such as {{\"model\":\"{MockChatClient.ModelId}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hello\"}}]}}.");
        }
        catch (InvalidRequestException e)
        {
            return OpenAIError.InvalidRequest(e.Message, e.Param);
        }

        var created = clock.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            if (!request.Stream)
            {
                return new ChatCompletionResult(request, await model.GetResponseAsync(request.Messages, request.Options, http.HttpContext.RequestAborted), created);
            }

            // The mock decides at the stream's first update, before anything is written: a miss is an error answer here too.
            var updates = model.GetStreamingResponseAsync(request.Messages, request.Options, http.HttpContext.RequestAborted).GetAsyncEnumerator(http.HttpContext.RequestAborted);
            var any = await updates.MoveNextAsync();
            return new ChatCompletionStreamResult(request, Primed(updates, any), created);
        }
        catch (MockScriptMissException miss)
        {
            loggers.CreateLogger(typeof(ChatCompletionEndpoint).FullName!).LogWarning("The mock script cannot answer this request: {Detail}", miss.Message);
            return OpenAIError.ScriptMiss(miss);
        }
    }

    /// <summary>The stream from the update already read.</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> Primed(IAsyncEnumerator<ChatResponseUpdate> updates, bool any)
    {
        await using (updates)
        {
            for (var more = any; more; more = await updates.MoveNextAsync())
            {
                yield return updates.Current;
            }
        }
    }
}
