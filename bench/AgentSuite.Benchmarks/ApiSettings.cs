namespace AgentSuite.Benchmarks;

/// <summary>
/// What the api benchmark sets on top of the Api's own appsettings.json: its address, a fresh data folder, the
/// repository's prompts, quiet logs, (for the throughput run) the rate and loop limits off, and a benchmark's own settings.
/// </summary>
internal static class ApiSettings
{
    public static Dictionary<string, string?> For(Uri baseAddress, string dataFolder, bool limitsOff, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["AgentSuite:DataFolder"] = dataFolder,
            ["Agents:PromptsFolder"] = BuiltApi.PromptsFolder,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (limitsOff)
        {
            // Off (0): thousands of identical refund turns a minute are exactly what these limits exist to stop.
            settings["Governance:Limits:PerConversationPerMinute"] = "0";
            settings["Governance:Limits:PerToolPerMinute"] = "0";
            settings["Governance:Limits:MaxIdenticalCallsPerRun"] = "0";
            settings["Governance:Limits:PerPrincipalPerMinute"] = "0";
            settings["Governance:Limits:AsksPerMinute"] = "0";
            settings["Governance:Limits:DailyTokens"] = "0";
        }
        else
        {
            // One caller makes every turn of a run, thousands a minute: the per-principal limits are raised so their
            // bookkeeping (one window per principal, a token count per model call) runs without stopping that caller.
            settings["Governance:Limits:PerPrincipalPerMinute"] = "1000000";
            settings["Governance:Limits:AsksPerMinute"] = "1000000";
            settings["Governance:Limits:DailyTokens"] = "1000000000000";
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
