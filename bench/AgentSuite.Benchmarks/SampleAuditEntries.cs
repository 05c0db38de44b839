using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>Audit entries shaped like the "allowed" decision of a tool call, built up front so appends measure only the store.</summary>
internal static class SampleAuditEntries
{
    private static readonly JsonElement Data = JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["argumentsHash"] = Hashing.Sha256Hex(System.Text.Encoding.UTF8.GetBytes("{\"city\":\"Oslo\"}")),
        ["arguments"] = new Dictionary<string, string> { ["city"] = "Oslo" },
    });

    /// <summary>One array of entries per appender.</summary>
    public static AuditEntry[][] Create(int appenders, int perAppender)
    {
        var at = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, appenders)
            .Select(a => Enumerable.Range(0, perAppender).Select(m => new AuditEntry(GovernanceEventTypes.ToolDecision, at.AddTicks(m))
            {
                ConversationId = $"conv-{a}",
                RunId = $"run-{a}",
                Agent = GovernedToolFixture.Agent,
                Principal = "bench-user",
                Tool = ForecastTool.Server + "/get_forecast",
                ToolCallId = $"call-{a}-{m}",
                Decision = "allowed",
                Data = Data,
            }).ToArray())
            .ToArray();
    }
}
