using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>A model request as a recording keeps it: the messages as the model saw them, taken when the request was made.</summary>
internal sealed record RecordedRequest(DateTimeOffset Time, string? Agent, string? Conversation, bool Streaming, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);
