using System.Text.Json;
using AgentSuite.Models;

namespace AgentSuite.MockModelServer;

/// <summary>The OpenAI-compatible surface under <c>/v1</c>, behind the optional API key.</summary>
internal static class MockModelEndpoints
{
    public const string OwnedBy = "agentsuite";

    // A fixed date (2026-01-01), so the model listing is the same on every run.
    private const long ModelCreated = 1767225600;

    public static WebApplication MapMockModel(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>();
        v1.MapPost("/chat/completions", ChatCompletionEndpoint.HandleAsync);
        v1.MapGet("/models", WriteModelsAsync);

        // Any other /v1 path answers in OpenAI's error shape, so a client calling an endpoint the mock lacks is told which ones it has.
        v1.MapFallback("{**path}", (HttpRequest request) => OpenAIError.UnknownEndpoint(request.Method, request.Path));
        return app;
    }

    private static async Task WriteModelsAsync(HttpResponse http)
    {
        http.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(http.BodyWriter, OpenAIWire.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            json.WriteStartObject();
            json.WriteString("id", MockChatClient.ModelId);
            json.WriteString("object", "model");
            json.WriteNumber("created", ModelCreated);
            json.WriteString("owned_by", OwnedBy);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        await http.BodyWriter.FlushAsync(http.HttpContext.RequestAborted);
    }
}
