using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>A model that answers each request with the next of the given responses, in order, and remembers every request.</summary>
public sealed class CannedChatClient(params ChatResponse[] responses) : IChatClient
{
    private int _next;

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop, ModelId = "canned" };

    public static ChatResponse Calls(params FunctionCallContent[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, [.. calls])) { FinishReason = ChatFinishReason.ToolCalls, ModelId = "canned" };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add(([.. messages], options));
        return Task.FromResult(responses[_next++]);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
        // Nothing to release.
    }
}
