using System.Security.Claims;
using AgentSuite.Governance;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// The <c>AgentServer:Stdio</c> section: who the one caller of <c>--mcp-stdio</c> is. A stdio process has no keys, so
/// whoever launched it speaks as this principal: its turns, approval requests and audit entries carry this name.
/// </summary>
public sealed class StdioCallerOptions
{
    public const string Section = "AgentServer:Stdio";

    private static readonly string[] KnownRoles = [Governance.Roles.User, Governance.Roles.Approver, Governance.Roles.Admin];

    /// <summary>The name the stores and the audit record for every call that arrives over stdio.</summary>
    public string Principal { get; set; } = "";

    /// <summary>Its roles (<c>user</c>, <c>approver</c>, <c>admin</c>), which decide the agents it may ask, as a key's roles do.</summary>
    public List<string> Roles { get; set; } = [];

    public Principal ToPrincipal() => new(Principal, [.. Roles]);

    public ClaimsPrincipal ToClaimsPrincipal() => new(new ClaimsIdentity(
        Roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.Name, Principal)),
        authenticationType: "stdio"));

    /// <summary>What stops <c>--mcp-stdio</c> from starting with these settings, each saying which key to set; empty when nothing does.</summary>
    public IReadOnlyList<string> Refusals(AgentServerOptions server)
    {
        var errors = new List<string>();
        if (server.Agents.Count == 0)
        {
            errors.Add("--mcp-stdio serves the agents named in AgentServer:Agents, and none is named; add one, e.g. AgentServer:Agents:coordinator:Roles:0=user.");
        }

        if (string.IsNullOrWhiteSpace(Principal))
        {
            errors.Add("--mcp-stdio needs the principal its caller acts as (a stdio process has no keys): set AgentServer:Stdio:Principal to the name turns and the audit record, and AgentServer:Stdio:Roles, e.g. user.");
        }

        if (Roles.Count == 0)
        {
            errors.Add($"AgentServer:Stdio:Roles is empty; name the roles of the stdio caller ({string.Join(", ", KnownRoles)}).");
        }

        foreach (var role in Roles.Where(r => !KnownRoles.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"AgentServer:Stdio:Roles names '{role}', which is not a role; use {string.Join(", ", KnownRoles)}.");
        }

        if (errors.Count == 0 && !server.Agents.Values.Any(a => a.Admits(ToPrincipal())))
        {
            var who = string.Join("; ", server.Agents.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
                $"{a.Key} admits the roles {string.Join(", ", a.Value.Roles)}" + (a.Value.Principals.Count > 0 ? $" and only {string.Join(", ", a.Value.Principals)}" : "")));
            errors.Add($"AgentServer:Stdio:Principal '{Principal}' with the roles {string.Join(", ", Roles)} may ask none of the served agents ({who}); give it one of those roles in AgentServer:Stdio:Roles, or name it in AgentServer:Agents:NAME:Principals.");
        }

        return errors;
    }
}
