namespace AgentSuite.Governance.AgentCalls;

/// <summary>
/// One call to an agent served over MCP, kept under the caller's idempotency key: the conversation and turn it started.
/// The turn's own record holds the outcome, so a repeated key answers from it and never starts a second turn.
/// </summary>
/// <param name="Caller">Whose key it is: the token's subject, or the key's or demo name.</param>
/// <param name="Key">The caller's idempotency key.</param>
/// <param name="Agent">The agent asked.</param>
/// <param name="RequestHash">The hash of the message, so the same key with another message is refused.</param>
/// <param name="ConversationId">The conversation; empty while a call that starts a new one is starting.</param>
public sealed record AgentCall(string Caller, string Key, string Agent, string RequestHash, string ConversationId, DateTimeOffset At)
{
    /// <summary>The turn the call started; null between the claim and the turn being on the record.</summary>
    public string? RunId { get; init; }
}
