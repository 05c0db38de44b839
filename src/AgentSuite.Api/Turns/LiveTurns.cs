using System.Collections.Concurrent;

namespace AgentSuite.Api.Turns;

/// <summary>
/// The event streams of the turns running in this process, by conversation, so a person who reconnects can re-attach
/// to one. A stream is forgotten when its turn ends; an ended turn's trail is read from its checkpoint instead.
/// </summary>
internal sealed class LiveTurns
{
    private readonly ConcurrentDictionary<string, TurnEventStream> _streams = new(StringComparer.Ordinal);

    public TurnEventStream? Find(string conversationId) => _streams.TryGetValue(conversationId, out var stream) ? stream : null;

    /// <summary>Registers <paramref name="stream"/> until <paramref name="turn"/> ends.</summary>
    public void Track(string conversationId, TurnEventStream stream, Task turn)
    {
        _streams[conversationId] = stream;
        turn.ContinueWith(
            _ => _streams.TryRemove(new KeyValuePair<string, TurnEventStream>(conversationId, stream)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public int Count => _streams.Count;
}
