namespace AgentSuite.Cli.Commands;

/// <summary>How a followed turn ended: an abandoned turn (not resumable after a restart) counts as failed.</summary>
internal enum TurnEnd
{
    Completed,
    Failed,
}
