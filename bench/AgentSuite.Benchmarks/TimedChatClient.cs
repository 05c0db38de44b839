using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The model as the app's <see cref="IChatClient"/>, each call counted and timed into the <see cref="TurnClock"/>
/// whichever way the agent runtime asks: whole (<see cref="GetResponseAsync"/>) or streamed, as a tool-calling loop
/// (hand-written or M.E.AI's and SK's function-invoking clients) calls the client under it.
/// </summary>
internal sealed class TimedChatClient(IChatClient model, TurnClock clock) : DelegatingChatClient(model)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        clock.ModelCallStarted();
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            clock.ModelTimed(Stopwatch.GetTimestamp() - start);
        }
    }

    // Counted when the stream is opened, so a caller that stops reading early still counts as one call; timed for the
    // model's own work only: the clock stops while the caller handles each update.
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        clock.ModelCallStarted();
        long ticks = 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                ticks += Stopwatch.GetTimestamp() - start;
                yield return update;
                start = Stopwatch.GetTimestamp();
            }

            ticks += Stopwatch.GetTimestamp() - start;
        }
        finally
        {
            clock.ModelTimed(ticks);
        }
    }
}
