using System.Security.Cryptography;

namespace AgentSuite.Benchmarks;

/// <summary>
/// What the frontdoor benchmark sets on the Api: the coordinator served at /mcp to the role <c>user</c>, one API key per
/// external agent (each its own principal), an operator key, the benchmark's mock script with random call ids, and every
/// limit that would turn a throughput figure into a count of refusals switched off.
/// </summary>
internal static class FrontDoorSettings
{
    public const string OperatorName = "bench-operator";

    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "frontdoor-script.yaml");

    /// <summary>The agents' keys, by agent index; each key's principal is <see cref="AgentName"/>.</summary>
    public static string[] NewAgentKeys(int agents) => Enumerable.Range(0, agents).Select(_ => "fd-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16))).ToArray();

    public static string NewOperatorKey() => "fd-ops-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string AgentName(int index) => $"external-agent-{index:D2}";

    public static Dictionary<string, string?> For(IReadOnlyList<string> agentKeys, string operatorKey)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AgentServer:Agents:coordinator:Roles:0"] = "user",
            ["Model:Script"] = ScriptPath,
            ["Model:CallIds"] = "random",
        };
        for (var i = 0; i < agentKeys.Count; i++)
        {
            settings[$"Auth:Keys:{i}:Key"] = agentKeys[i];
            settings[$"Auth:Keys:{i}:Name"] = AgentName(i);
            settings[$"Auth:Keys:{i}:Roles:0"] = "user";
        }

        settings[$"Auth:Keys:{agentKeys.Count}:Key"] = operatorKey;
        settings[$"Auth:Keys:{agentKeys.Count}:Name"] = OperatorName;
        settings[$"Auth:Keys:{agentKeys.Count}:Roles:0"] = "admin";
        return settings;
    }

    /// <summary>
    /// The per-principal limits the Api's appsettings.json sets for external agents (asks and tool calls per minute, daily
    /// tokens), off in the environment so the figure measures throughput, not a count of refusals.
    /// </summary>
    public static Dictionary<string, string?> Environment() => new(StringComparer.Ordinal)
    {
        ["Governance__Limits__AsksPerMinute"] = "0",
        ["Governance__Limits__PerPrincipalPerMinute"] = "0",
        ["Governance__Limits__DailyTokens"] = "0",
    };
}
