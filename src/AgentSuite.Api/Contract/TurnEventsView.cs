using AgentSuite.Api.Turns;

namespace AgentSuite.Api.Contract;

/// <summary>The JSON form of <c>GET /api/conversations/{id}/turns/current/events</c>: the latest turn's trail so far.</summary>
internal sealed record TurnEventsView(string RunId, string Status, IReadOnlyList<TurnEvent> Events);
