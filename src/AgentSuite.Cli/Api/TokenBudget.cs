namespace AgentSuite.Cli.Api;

/// <summary>One principal's model tokens today (UTC) in the status, against its daily budget (no limit: unlimited).</summary>
public sealed record TokenBudget(string Principal, string? Day, long InputTokens, long OutputTokens, long Spent, long? Limit, long? Remaining, bool Exceeded);
