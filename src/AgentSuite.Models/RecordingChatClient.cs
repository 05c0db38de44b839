using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// Records every model exchange that passes through it: one JSON line per exchange, appended to
/// <c>{folder}/{conversation}.jsonl</c> (the conversation is <c>ChatOptions.AdditionalProperties["agentsuite.conversation"]</c>;
/// without one, <c>no-conversation.jsonl</c>). The secrets it is given are written as <c>[secret]</c> wherever they
/// appear; headers and raw provider objects are never written. A streamed response passes through unchanged and is
/// recorded whole once the stream ends. A line that cannot be written throws: a recording is complete or it fails.
/// <see cref="MockScript.Load"/> replays a recording (docs/mock-model.md, "Record and replay").
/// </summary>
public sealed partial class RecordingChatClient : DelegatingChatClient
{
    /// <summary>The file of the exchanges whose request names no conversation.</summary>
    public const string NoConversationFile = "no-conversation.jsonl";

    private readonly SecretScrubber _scrubber;
    private readonly TimeProvider _time;

    /// <param name="innerClient">The model whose exchanges are recorded.</param>
    /// <param name="folder">Where the recordings go; created when the first exchange is written.</param>
    /// <param name="secrets">Texts never to write (API keys, tokens); null and empty ones are ignored.</param>
    /// <param name="timeProvider">The clock of each line's <c>time</c>; the system clock by default.</param>
    public RecordingChatClient(IChatClient innerClient, string folder, IEnumerable<string?>? secrets = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _scrubber = new SecretScrubber(secrets);
        _time = timeProvider ?? TimeProvider.System;
    }

    public string Folder { get; }

    /// <summary>The recording file of a conversation: its id with anything but letters, digits, '-', '_' and '.' made '_'.</summary>
    public string PathFor(string? conversationId) => Path.Combine(Folder, string.IsNullOrEmpty(conversationId)
        ? NoConversationFile
        : Unsafe().Replace(conversationId, "_") + ".jsonl");

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options, streaming: false);
        var response = await base.GetResponseAsync(request.Messages, options, cancellationToken);
        Record(request, response);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options, streaming: true);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(request.Messages, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        Record(request, updates.ToChatResponse());
    }

    private RecordedRequest Request(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // The caller appends to its list once the model has answered; the recording keeps what the model was sent.
        return new RecordedRequest(_time.GetUtcNow(), MockChatClient.Property(options, MockChatClient.AgentPropertyKey),
            MockChatClient.Property(options, MockChatClient.ConversationPropertyKey), streaming, [.. messages], options);
    }

    private void Record(RecordedRequest request, ChatResponse response) =>
        RecordingFile.For(PathFor(request.Conversation)).Append(sequence => RecordingLine.Write(sequence, request, response, _scrubber));

    [GeneratedRegex("[^A-Za-z0-9._-]|^\\.")]
    private static partial Regex Unsafe();
}
