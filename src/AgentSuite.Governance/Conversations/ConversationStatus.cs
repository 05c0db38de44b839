namespace AgentSuite.Governance.Conversations;

/// <summary>What a conversation's status filter accepts: its latest turn's <see cref="TurnStatus"/>, or none before the first turn.</summary>
public static class ConversationStatus
{
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } =
        [TurnStatus.Running, TurnStatus.Waiting, TurnStatus.Completed, TurnStatus.Failed, TurnStatus.Abandoned, None];
}
