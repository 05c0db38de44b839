using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A model that asks for one call of <paramref name="functionName"/> (each with a call id of its own) and, once the
/// result is in the conversation, answers in text: one tool round, with no model work to speak of.
/// </summary>
internal sealed class ScriptedToolCallClient(string functionName) : IChatClient
{
    private long _calls;

    /// <summary>The result the last answer was given, as the tool-calling loop passed it back.</summary>
    public object? LastResult { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var last = messages.Last();
        foreach (var content in last.Contents)
        {
            if (content is FunctionResultContent result)
            {
                LastResult = result.Result;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Sunny in Oslo.")));
            }
        }

        var call = new FunctionCallContent($"kcall-{_calls++}", functionName, new Dictionary<string, object?> { ["city"] = "Oslo" });
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
