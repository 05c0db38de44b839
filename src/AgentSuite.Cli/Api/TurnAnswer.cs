using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>A turn's JSON answer, when the Api answers without streaming; each event is read with <see cref="TurnEvent.FromJson"/>.</summary>
public sealed record TurnAnswer(string? ConversationId, string? RunId, string? Reply, IReadOnlyList<JsonElement>? Events);
