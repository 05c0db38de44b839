using System.Text.Json;
using AgentSuite.Models;

namespace AgentSuite.MockModelServer;

/// <summary>An error in OpenAI's shape, <c>{"error":{"message","type","param","code"}}</c>, so clients report it as they would OpenAI's.</summary>
public sealed record OpenAIError(int StatusCode, string Message, string Type, string? Param = null, string? Code = null) : IResult
{
    /// <summary>With a script miss: where it happened, written beside the message so a client can rebuild the exception.</summary>
    public MockScriptMissException? Miss { get; init; }

    /// <summary>
    /// The script cannot answer this request: 422 (the request is valid; retrying it gets the same answer), type and code
    /// <c>mock_script_miss</c>, the developer's message, and <c>script</c>, <c>agent</c>, <c>user_message</c>,
    /// <c>model_call</c>, <c>line</c> and <c>problem</c>.
    /// </summary>
    public static OpenAIError ScriptMiss(MockScriptMissException miss) =>
        new(StatusCodes.Status422UnprocessableEntity, miss.Message, MockScriptMissException.ErrorCode, Code: MockScriptMissException.ErrorCode) { Miss = miss };

    public static OpenAIError InvalidRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param);

    public static OpenAIError MissingApiKey() => new(
        StatusCodes.Status401Unauthorized,
        "No API key was sent. This server requires one: send it as 'Authorization: Bearer <key>' (the key is its MockModel:ApiKey setting).",
        "invalid_request_error",
        Code: "invalid_api_key");

    public static OpenAIError WrongApiKey() => new(
        StatusCodes.Status401Unauthorized,
        "The API key sent is not this server's key. Send the key from its MockModel:ApiKey setting as 'Authorization: Bearer <key>'.",
        "invalid_request_error",
        Code: "invalid_api_key");

    public static OpenAIError UnknownEndpoint(string method, string path) => new(
        StatusCodes.Status404NotFound,
        $"This server has no endpoint {method} {path}. The mock model serves POST /v1/chat/completions and GET /v1/models.",
        "invalid_request_error",
        Code: "unknown_url");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json";
        if (StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        using (var json = new Utf8JsonWriter(response.BodyWriter, OpenAIWire.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", Message);
            json.WriteString("type", Type);
            json.WriteString("param", Param);
            json.WriteString("code", Code);
            if (Miss is { } miss)
            {
                json.WriteString("script", miss.ScriptName);
                json.WriteString("agent", miss.Agent);
                json.WriteString("user_message", miss.UserMessage);
                json.WriteNumber("model_call", miss.ModelCall);
                json.WriteNumber("line", miss.Line);
                json.WriteString("problem", miss.Problem);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
