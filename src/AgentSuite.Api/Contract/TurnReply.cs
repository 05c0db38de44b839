using AgentSuite.Api.Turns;

namespace AgentSuite.Api.Contract;

/// <summary><c>POST /api/conversations/{id}/messages</c> without an event stream: the reply and every event of the turn.</summary>
internal sealed record TurnReply(string ConversationId, string RunId, string Reply, IReadOnlyList<TurnEvent> Events);
