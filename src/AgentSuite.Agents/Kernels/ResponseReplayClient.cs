using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// Hands a resumed agent's tool loop the model response its turn stopped in, instead of asking the model again: the
/// calls in it keep their ids, so approvals, idempotency keys and the audit still match them. Only the first model call
/// of the run is replayed; the rest reach the model. Nothing is replayed outside a resumed run.
/// </summary>
internal sealed class ResponseReplayClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private static readonly AsyncLocal<Holder?> Ambient = new();

    /// <summary>Replays <paramref name="response"/> (when not null) as the next model call of this async flow's run.</summary>
    public static IDisposable Enter(IReadOnlyList<ChatMessage>? response)
    {
        var previous = Ambient.Value;
        Ambient.Value = response is null ? null : new Holder(response);
        return new Scope(previous);
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Ambient.Value?.Take() is { } response
            ? Task.FromResult(new ChatResponse([.. response]))
            : base.GetResponseAsync(messages, options, cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Ambient.Value?.Take() is { } response)
        {
            foreach (var message in response)
            {
                var id = message.MessageId ?? Guid.NewGuid().ToString("N");
                foreach (var content in message.Contents)
                {
                    yield return new ChatResponseUpdate(message.Role, [content]) { MessageId = id, AuthorName = message.AuthorName };
                }
            }

            yield break;
        }

        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }

    private sealed class Holder(IReadOnlyList<ChatMessage> response)
    {
        private IReadOnlyList<ChatMessage>? _response = response;

        public IReadOnlyList<ChatMessage>? Take() => Interlocked.Exchange(ref _response, null);
    }

    private sealed class Scope(Holder? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
