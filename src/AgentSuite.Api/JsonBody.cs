using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api;

/// <summary>Reads a JSON request body, answering a missing or malformed one with a problem that shows the expected shape.</summary>
internal static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, string example)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return body is null
                ? (null, Problems.BadRequest($"The body is JSON null; send {example}."))
                : (body, null);
        }
        catch (JsonException ex)
        {
            // System.Text.Json reports an empty body as "the input does not contain any JSON tokens".
            var problem = ex.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? $"The body is empty; send {example}."
                : $"The body is not valid JSON for this call: {ex.Message.Split(" Path:")[0]} Send {example}.";
            return (null, Problems.BadRequest(problem));
        }
    }
}
