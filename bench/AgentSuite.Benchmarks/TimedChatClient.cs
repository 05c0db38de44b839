using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>The mock model with each call timed into the <see cref="TurnClock"/>.</summary>
internal sealed class TimedChatClient(IChatClient model, TurnClock clock) : DelegatingChatClient(model)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        clock.ModelCalled(Stopwatch.GetTimestamp() - start);
        return response;
    }
}
