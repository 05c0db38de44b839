namespace AgentSuite.Api.Contract;

/// <summary>One message of a conversation: the user's, or an agent's (<see cref="Agent"/> names which).</summary>
internal sealed record MessageView(string Role, string? Agent, string Text, DateTimeOffset At);
