namespace AgentSuite.Models;

/// <summary>One agent's turn on one user message in a recording: its exchanges, one per model call, in order.</summary>
internal sealed class RecordedTurn(string agent, string user)
{
    public string Agent { get; } = agent;

    public string User { get; } = user;

    public List<RecordedExchange> Exchanges { get; } = [];
}
