using System.ClientModel;
using System.Text;
using AgentSuite.Plugins.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>The official OpenAI .NET client pointed at the mock model server, and its answers read into <see cref="ClientAnswer"/>.</summary>
public static class OpenAIClients
{
    public static ChatClient Chat(MockModelServerProcess server, string apiKey = "no-key-needed", string model = "agentsuite-mock") =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = server.V1, NetworkTimeout = Timeouts.Call });

    public static async Task<ClientAnswer> AskAsync(this ChatClient client, IEnumerable<ChatMessage> messages, ChatCompletionOptions? options, bool streaming) =>
        streaming ? await client.StreamAsync(messages, options) : await client.CompleteAsync(messages, options);

    public static async Task<ClientAnswer> CompleteAsync(this ChatClient client, IEnumerable<ChatMessage> messages, ChatCompletionOptions? options = null)
    {
        ChatCompletion completion = await client.CompleteChatAsync(messages, options, Timeouts.CallToken());
        return new ClientAnswer(
            string.Concat(completion.Content.Select(part => part.Text)),
            completion.Content.Count,
            [.. completion.ToolCalls.Select(c => new ClientToolCall(c.Id, c.FunctionName, c.FunctionArguments.ToString(), 1))],
            completion.FinishReason,
            completion.Usage);
    }

    /// <summary>Streams the answer and assembles it from the deltas, as an agent loop over the official client would.</summary>
    public static async Task<ClientAnswer> StreamAsync(this ChatClient client, IEnumerable<ChatMessage> messages, ChatCompletionOptions? options = null)
    {
        var text = new StringBuilder();
        var textPieces = 0;
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments, int Pieces)>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options, Timeouts.CallToken()))
        {
            foreach (var part in update.ContentUpdate.Where(p => !string.IsNullOrEmpty(p.Text)))
            {
                text.Append(part.Text);
                textPieces++;
            }

            foreach (var delta in update.ToolCallUpdates)
            {
                var call = calls.TryGetValue(delta.Index, out var known) ? known : (null, null, new StringBuilder(), 0);
                var piece = delta.FunctionArgumentsUpdate?.ToString() ?? "";
                call.Arguments.Append(piece);
                calls[delta.Index] = (call.Id ?? delta.ToolCallId, call.Name ?? delta.FunctionName, call.Arguments, call.Pieces + (piece.Length > 0 ? 1 : 0));
            }

            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        return new ClientAnswer(
            text.ToString(),
            textPieces,
            [.. calls.Values.Select(c => new ClientToolCall(c.Id ?? "", c.Name ?? "", c.Arguments.ToString(), c.Pieces))],
            finish,
            usage);
    }
}
