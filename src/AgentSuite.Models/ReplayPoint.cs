namespace AgentSuite.Models;

/// <summary>Where a replay stands when it checks the run against the recording: the model call of an agent's turn.</summary>
internal sealed record ReplayPoint(string Script, string? Agent, string? User, int ModelCall, int? RecordedCalls, int Line)
{
    public ReplayDivergenceException Diverged(string difference) => new(Script, Agent, User, ModelCall, RecordedCalls, Line, difference);
}
