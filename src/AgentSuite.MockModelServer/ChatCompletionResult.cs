using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>A non-streamed answer: one <c>chat.completion</c> object with one choice.</summary>
internal sealed class ChatCompletionResult(ChatCompletionRequest request, ChatResponse response, long created) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var http = httpContext.Response;
        http.ContentType = "application/json";
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        using (var json = new Utf8JsonWriter(http.BodyWriter, OpenAIWire.WriterOptions))
        {
            json.WriteStartObject();
            OpenAIWire.WriteHeader(json, response.ResponseId ?? "", "chat.completion", created, request.Model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", calls.Count > 0 && response.Text.Length == 0 ? null : response.Text);
            if (calls.Count > 0)
            {
                WriteToolCalls(json, calls);
            }

            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", OpenAIWire.FinishReason(response.FinishReason));
            json.WriteEndObject();
            json.WriteEndArray();
            OpenAIWire.WriteUsage(json, response.Usage);
            json.WriteEndObject();
        }

        await http.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    private static void WriteToolCalls(Utf8JsonWriter json, List<FunctionCallContent> calls)
    {
        json.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            json.WriteStartObject();
            json.WriteString("id", call.CallId);
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", call.Name);
            json.WriteString("arguments", OpenAIWire.Arguments(call));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
