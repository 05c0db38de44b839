using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api;

/// <summary>
/// Reads a JSON request body, answering a missing, malformed or mistyped one with a problem that shows the expected
/// shape: a field of the wrong type is named by its JSON path with the type it must have, never by a .NET type name.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, string example)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            // System.Text.Json reports an empty body as "the input does not contain any JSON tokens".
            var problem = ex.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? $"The body is empty; send {example}."
                : $"The body is not valid JSON: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]} Send {example}.";
            return (null, Problems.BadRequest(problem));
        }

        using (document)
        {
            try
            {
                return document.Deserialize<T>(options) is { } body
                    ? (body, null)
                    : (null, Problems.BadRequest($"The body is JSON null; send {example}."));
            }
            catch (JsonException ex)
            {
                // Well-formed JSON of the wrong shape: the serializer's message names .NET types, so describe the field instead.
                return (null, Problems.BadRequest($"{JsonBodyShape.Describe(typeof(T), ex.Path, document.RootElement, options)} Send {example}."));
            }
        }
    }
}
