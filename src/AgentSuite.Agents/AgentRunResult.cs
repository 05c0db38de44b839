using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents;

/// <summary>What one agent run produced: its final text and every message it added to the chat history (tool calls, tool results, the reply).</summary>
public sealed record AgentRunResult(string Text, IReadOnlyList<ChatMessageContent> Messages, UsageDetails? Usage);
