namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>One tool call as the client assembled it; <see cref="ArgumentPieces"/> counts the deltas its arguments came in (1 when not streamed).</summary>
public sealed record ClientToolCall(string Id, string Name, string Arguments, int ArgumentPieces);
