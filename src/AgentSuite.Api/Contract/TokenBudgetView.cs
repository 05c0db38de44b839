namespace AgentSuite.Api.Contract;

/// <summary>One principal's model tokens today (UTC) against its daily budget; <c>limit</c> is null when unlimited.</summary>
internal sealed record TokenBudgetView(string Principal, string Day, long InputTokens, long OutputTokens, long Spent, long? Limit, long? Remaining, bool Exceeded);
