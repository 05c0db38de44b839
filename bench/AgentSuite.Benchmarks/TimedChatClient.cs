using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>The mock model with each call, streamed (as the tool loop calls it) or not, timed into the <see cref="TurnClock"/>.</summary>
internal sealed class TimedChatClient(IChatClient model, TurnClock clock) : DelegatingChatClient(model)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        clock.ModelCalled(Stopwatch.GetTimestamp() - start);
        return response;
    }

    // Only the model's own time: the clock stops while the caller handles each update.
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long ticks = 0;
        var start = Stopwatch.GetTimestamp();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            ticks += Stopwatch.GetTimestamp() - start;
            yield return update;
            start = Stopwatch.GetTimestamp();
        }

        clock.ModelCalled(ticks + (Stopwatch.GetTimestamp() - start));
    }
}
