using Microsoft.Extensions.AI;

namespace AgentSuite.Agents;

/// <summary>What one agent run produced: its final text and every message it added (assistant and tool).</summary>
public sealed record AgentRunResult(string Text, IReadOnlyList<ChatMessage> Messages, UsageDetails? Usage);
