using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// A deterministic model driven by a <see cref="MockScript"/>. Everything it answers comes from the messages and
/// options it is given (the agent is <c>ChatOptions.AdditionalProperties["agentsuite.agent"]</c>), so it keeps no state,
/// is safe to share between conversations, and the same request always gets the same response. Where its script cannot
/// be followed (no rule for the message, a value that is not there) it throws <see cref="MockScriptMissException"/>, whose
/// message tells the developer what to add, so a turn fails instead of showing a customer the script's internals. A replay
/// script (<see cref="MockScript.IsReplay"/>) throws <see cref="ReplayDivergenceException"/> instead, and when it answers the same message differently the n-th
/// time, it counts the times per conversation (<c>agentsuite.conversation</c>). With <see cref="MockCallIds.Random"/> the
/// call ids are the one part of an answer that differs on every call, as a real model's are.
/// </summary>
public sealed partial class MockChatClient : IChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key naming the agent the request is for.</summary>
    public const string AgentPropertyKey = "agentsuite.agent";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key carrying the conversation id (recordings are filed by it).</summary>
    public const string ConversationPropertyKey = "agentsuite.conversation";

    /// <summary>The model id on every response.</summary>
    public const string ModelId = "agentsuite-mock";

    private const int WordsPerChunk = 4;

    private readonly ReplayOccurrences _occurrences = new();

    public MockChatClient(MockScript script)
        : this(script, MockCallIds.Sequential)
    {
    }

    public MockChatClient(MockScript script, MockCallIds callIds)
    {
        ArgumentNullException.ThrowIfNull(script);
        Script = script;
        CallIds = callIds;
        Metadata = new ChatClientMetadata("agentsuite-mock", null, ModelId);
    }

    public MockScript Script { get; }

    /// <summary>How the calls this mock makes are named.</summary>
    public MockCallIds CallIds { get; }

    public ChatClientMetadata Metadata { get; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (contents, finish, usage, id, agent) = Answer(messages, options);
        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = id, AuthorName = agent };
        return Task.FromResult(new ChatResponse(message) { ResponseId = id, ModelId = ModelId, FinishReason = finish, Usage = usage });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (contents, finish, usage, id, agent) = Answer(messages, options);
        List<List<AIContent>> chunks = contents is [TextContent text]
            ? [.. Chunks(text.Text).Select(chunk => new List<AIContent> { new TextContent(chunk) })]
            : [[.. contents]];
        for (var i = 0; i < chunks.Count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var last = i == chunks.Count - 1;
            if (last)
            {
                chunks[i].Add(new UsageContent(usage));
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, chunks[i])
            {
                ResponseId = id,
                MessageId = id,
                AuthorName = agent,
                ModelId = ModelId,
                FinishReason = last ? finish : null,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(Script) ? Script
            : null;
    }

    public void Dispose()
    {
        // Nothing to release: the client holds only the immutable script.
    }

    private (IList<AIContent> Contents, ChatFinishReason Finish, UsageDetails Usage, string Id, string? Agent) Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var agent = Property(options, AgentPropertyKey);
        var turn = Turn.Read(history);
        var occurrence = Script.CountsOccurrences ? _occurrences.Of(Property(options, ConversationPropertyKey), agent, turn) : 1;
        var answer = ScriptRunner.Decide(Script, agent, turn, Offered(options), occurrence);

        List<AIContent> contents = answer.Text is { } reply ? [new TextContent(reply)] : [];
        contents.AddRange(answer.Calls.Select((call, i) => new FunctionCallContent(
            CallId(turn.CallsSoFar + i + 1), call.Tool, call.Arguments.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal))));
        var digest = ConversationDigest.Of(agent, history);
        var input = ConversationDigest.Tokens(digest.Characters);
        var output = ConversationDigest.Tokens(ConversationDigest.CharactersOf(contents));
        var usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
        return (contents, answer.Calls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop, usage, digest.ResponseId, agent);
    }

    private string CallId(int number) =>
        CallIds == MockCallIds.Random ? "call_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) : $"call_{number}";

    internal static string? Property(ChatOptions? options, string key) =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? value?.ToString() : null;

    /// <summary>The tool names the model may call now; none when tools are withdrawn or the tool mode is None.</summary>
    private static HashSet<string> Offered(ChatOptions? options) =>
        options is { Tools: { } tools } && options.ToolMode is not NoneChatToolMode
            ? tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>The text in a few pieces of about four words each, whitespace kept, so the pieces join back to the text.</summary>
    private static List<string> Chunks(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).ToList();
        if (words.Count == 0)
        {
            return [text];
        }

        var chunks = words.Chunk(WordsPerChunk).Select(chunk => string.Concat(chunk)).ToList();
        chunks[0] = text[..(text.Length - chunks.Sum(c => c.Length))] + chunks[0];
        return chunks;
    }

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex Word();
}
