using AgentSuite.Governance;

namespace AgentSuite.Api.AgentServer;

/// <summary>One <c>ask_NAME</c> call as it arrives: who asks which agent, under which key (the caller's, or the <c>auto_…</c> one given it), in which conversation, for which request.</summary>
internal sealed record FrontDoorCall(Principal Caller, string Agent, string IdempotencyKey, string? ConversationId, string RequestHash);
