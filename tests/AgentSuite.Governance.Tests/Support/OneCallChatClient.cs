using Microsoft.Extensions.AI;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>A scripted model: asks for one tool call, then answers with the text of the result it was given.</summary>
public sealed class OneCallChatClient(string callId, string tool, IDictionary<string, object?> arguments) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault();
        var answer = result is null
            ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, tool, arguments)])
            : new ChatMessage(ChatRole.Assistant, result.Result?.ToString() ?? "");
        return Task.FromResult(new ChatResponse(answer));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted model answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
