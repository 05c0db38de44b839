using AgentSuite.Agents;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Mcp;

namespace AgentSuite.Api.Endpoints;

/// <summary>
/// Checks that a kill switch scope names something that exists: an agent of the prompts folder, a configured MCP server
/// (or <c>agents</c>, the hand-offs), a tool one of them serves. A <c>principal:NAME</c> scope is taken as it is. A typo (<c>agent:biling</c>) would otherwise be engaged,
/// stop nothing, and reassure whoever engaged it. A server that cannot be asked for its tools does not block a tool's
/// switch: stopping must never depend on the thing being stopped.
/// </summary>
internal sealed class KillSwitchScopes(AgentCatalog agents, McpToolCatalog catalog)
{
    /// <summary>Why <paramref name="scope"/> (already in a valid form) names nothing, with the closest match; null when it is fine.</summary>
    public async Task<string?> ProblemAsync(string scope, CancellationToken cancellationToken)
    {
        // A principal is whoever calls: there is no list of them to check against, and stopping one that never called is harmless.
        if (scope == KillSwitchScope.Global || KillSwitchScope.PrincipalOf(scope) is not null)
        {
            return null;
        }

        var colon = scope.IndexOf(':', StringComparison.Ordinal);
        var (kind, name) = (scope[..colon], scope[(colon + 1)..]);
        var servers = catalog.Servers.Append(AgentCatalog.HandOffServer).ToList();
        switch (kind)
        {
            case "agent":
                return Missing(scope, "agent", name, agents.Agents.Keys, "agent:");
            case "server":
                return Missing(scope, "MCP server", name, servers, "server:");
            default:
                var slash = name.IndexOf('/', StringComparison.Ordinal);
                var server = name[..slash];
                if (Missing(scope, "MCP server", server, servers, "tool:") is { } noServer)
                {
                    return noServer;
                }

                IEnumerable<string> tools;
                if (server == AgentCatalog.HandOffServer)
                {
                    tools = agents.Agents.Keys.Select(AgentCatalog.HandOffTool);
                }
                else
                {
                    try
                    {
                        tools = (await catalog.GetToolsAsync(server, cancellationToken)).Select(t => t.Descriptor.Identity.Key).ToList();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        return null;
                    }
                }

                return Missing(scope, "tool", name, tools, "tool:");
        }
    }

    private static string? Missing(string scope, string what, string name, IEnumerable<string> known, string prefix)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        if (names.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }

        var closest = names.MinBy(n => Distance(name, n));
        var hint = closest is not null && Distance(name, closest) <= Math.Max(2, name.Length / 3) ? $" Did you mean '{prefix}{closest}'?" : "";
        return $"'{scope}' names no {what} '{name}', so it would stop nothing.{hint} Known: {string.Join(", ", names.Select(n => prefix + n))}.";
    }

    /// <summary>Edit distance (insertions, deletions, substitutions), for the closest match.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
