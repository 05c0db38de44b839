using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Tests;

/// <summary>A test model: per agent, a function from the conversation so far to the next response. Records every request.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Dictionary<string, Func<IReadOnlyList<ChatMessage>, ChatResponse>> _agents = new(StringComparer.Ordinal);
    private int _calls;

    public List<(string Agent, IReadOnlyList<string> Tools)> Requests { get; } = [];

    /// <summary>Every request's messages, by agent, in order.</summary>
    public List<(string Agent, IReadOnlyList<ChatMessage> Messages)> Sent { get; } = [];

    public ScriptedChatClient For(string agent, Func<IReadOnlyList<ChatMessage>, ChatResponse> respond)
    {
        _agents[agent] = respond;
        return this;
    }

    public static ChatResponse Call(string tool, Dictionary<string, object?> arguments, string? callId = null) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId ?? "call_" + tool + "_" + Guid.NewGuid().ToString("N")[..6], tool, arguments)]));

    /// <summary>Several calls in one response (parallel tool calls).</summary>
    public static ChatResponse Calls(params (string Tool, Dictionary<string, object?> Arguments, string CallId)[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, [.. calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Tool, c.Arguments))]));

    /// <summary>A call whose arguments are not JSON, as a provider reports it: no arguments and the parse error.</summary>
    public static ChatResponse Malformed(string tool, string json, string callId) =>
        new(new ChatMessage(ChatRole.Assistant, [FunctionCallContent.CreateFromParsedArguments(json, callId, tool, text => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(text))]));

    public static ChatResponse Say(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    /// <summary>The text of the latest tool result in the conversation.</summary>
    public static string LastResult(IReadOnlyList<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.Tool)?.Contents.OfType<FunctionResultContent>().Single().Result?.ToString() ?? "";

    public static int ToolResults(IReadOnlyList<ChatMessage> messages) => messages.Count(m => m.Role == ChatRole.Tool);

    /// <summary>Runs after a request is recorded and before it is answered (a test can hold a model call in flight here).</summary>
    public Func<string, IReadOnlyList<ChatMessage>, CancellationToken, Task>? BeforeRespond { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var agent = options?.AdditionalProperties?["agentsuite.agent"] as string ?? "";
        lock (Requests)
        {
            Requests.Add((agent, options?.Tools?.Select(t => t.Name).ToList() ?? []));
            Sent.Add((agent, messages.ToList()));
            _calls++;
        }

        var sent = messages.ToList();
        if (BeforeRespond is { } hook)
        {
            await hook(agent, sent, cancellationToken);
        }

        return _agents[agent](sent);
    }

    // The tool loop streams; the scripted response arrives as its updates, which the loop assembles back.
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
