using System.Collections.Concurrent;

namespace AgentSuite.Models;

/// <summary>
/// How many times each agent has been sent each user message in each conversation, for replays whose rules answer a given
/// occurrence. Messages alone cannot tell: a specialist starts every hand-off afresh with the request as its only user
/// message. A turn's first model call (no assistant message yet since the user message) counts a new time.
/// </summary>
internal sealed class ReplayOccurrences
{
    private readonly ConcurrentDictionary<(string Conversation, string Agent, string User), int> _times = new();

    public int Of(string? conversation, string? agent, Turn turn)
    {
        if (turn.User is null)
        {
            return 1;
        }

        var key = (conversation ?? "", agent ?? "", turn.User);
        return turn.Step == 0 ? _times.AddOrUpdate(key, 1, (_, times) => times + 1) : Math.Max(1, _times.GetValueOrDefault(key));
    }
}
