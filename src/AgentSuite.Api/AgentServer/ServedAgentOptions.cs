using AgentSuite.Governance;

namespace AgentSuite.Api.AgentServer;

/// <summary>Who may ask one served agent (<c>AgentServer:Agents:NAME</c>): a caller holding one of the roles and, when principals are listed, named among them.</summary>
public sealed class ServedAgentOptions
{
    /// <summary>Roles (<c>user</c>, <c>approver</c>, <c>admin</c>), any one of which admits a caller.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>An allow-list of callers (a key's name or a token's subject); empty admits every holder of a role.</summary>
    public List<string> Principals { get; set; } = [];

    /// <summary>Whether the caller may ask; a service acting for a person is admitted when the person or the service is listed.</summary>
    public bool Admits(Principal caller) =>
        Roles.Any(caller.IsInRole)
        && (Principals.Count == 0 || Principals.Any(p => caller.IsSamePersonAs(p) || string.Equals(p, caller.Subject, StringComparison.Ordinal)
            || string.Equals(p, caller.Via, StringComparison.OrdinalIgnoreCase)));
}
