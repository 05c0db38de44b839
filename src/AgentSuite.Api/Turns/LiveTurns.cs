using System.Collections.Concurrent;

namespace AgentSuite.Api.Turns;

/// <summary>
/// The event streams of the turns running in this process, by conversation, so a person who reconnects can re-attach
/// to one. A stream is forgotten when its turn ends; an ended turn's trail is read from its checkpoint instead.
/// </summary>
internal sealed class LiveTurns
{
    private readonly ConcurrentDictionary<string, TurnEventStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _turns = new();

    public TurnEventStream? Find(string conversationId) => _streams.TryGetValue(conversationId, out var stream) ? stream : null;

    /// <summary>Registers <paramref name="stream"/> until <paramref name="turn"/> ends.</summary>
    public void Track(string conversationId, TurnEventStream stream, Task turn)
    {
        _streams[conversationId] = stream;
        _turns[turn] = 0;
        turn.ContinueWith(
            _ =>
            {
                _streams.TryRemove(new KeyValuePair<string, TurnEventStream>(conversationId, stream));
                _turns.TryRemove(turn, out byte _);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Waits until the turn running here in <paramref name="conversationId"/> publishes an event or ends, or at most
    /// <paramref name="interval"/> (a turn running elsewhere, or one that ended meanwhile): a caller polling the turn's
    /// record reads it again as soon as it may have changed.
    /// </summary>
    public Task NextChangeAsync(string conversationId, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(interval, time, cancellationToken);
        return Find(conversationId) is { } stream ? Task.WhenAny(delay, stream.After(long.MaxValue).Changed) : delay;
    }

    /// <summary>
    /// Waits for the turns running here to stop (the host's stopping token stops them), so each writes its latest step
    /// before the stores are disposed.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_turns.Keys).WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A turn's own failure is its business (turn.failed); here only its end matters.
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first; the turns resume from their last written step.
        }
    }
}
