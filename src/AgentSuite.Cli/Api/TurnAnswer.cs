namespace AgentSuite.Cli.Api;

/// <summary>A turn's JSON answer, when the Api answers without streaming.</summary>
public sealed record TurnAnswer(string? ConversationId, string? RunId, string? Reply, IReadOnlyList<TurnEvent>? Events);
