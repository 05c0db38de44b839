using System.Text.Json;
using AgentSuite.Models;

namespace AgentSuite.MockModelServer;

/// <summary><c>POST /v1/chat/completions</c>: reads the request, asks the mock model, answers in OpenAI's shape.</summary>
internal static class ChatCompletionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest http, MockChatClient model, TimeProvider clock)
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
        if (request.Stream)
        {
            return new ChatCompletionStreamResult(request, model.GetStreamingResponseAsync(request.Messages, request.Options), created);
        }

        var response = await model.GetResponseAsync(request.Messages, request.Options, http.HttpContext.RequestAborted);
        return new ChatCompletionResult(request, response, created);
    }
}
