using AgentSuite.Agents;
using AgentSuite.Governance;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.AgentServer;

/// <summary>Checks the <c>AgentServer</c> section at start: every served agent is defined, names a known role, and the waits make sense.</summary>
internal sealed class AgentServerOptionsValidator(AgentCatalog catalog) : IValidateOptions<AgentServerOptions>
{
    private static readonly string[] KnownRoles = [Roles.User, Roles.Approver, Roles.Admin];

    public ValidateOptionsResult Validate(string? name, AgentServerOptions options)
    {
        var errors = new List<string>();
        if (options.MaxWaitSeconds is < 0 or > 600)
        {
            errors.Add($"AgentServer:MaxWaitSeconds is {options.MaxWaitSeconds}; set it between 0 and 600.");
        }

        if (options.DefaultWaitSeconds < 0 || options.DefaultWaitSeconds > options.MaxWaitSeconds)
        {
            errors.Add($"AgentServer:DefaultWaitSeconds is {options.DefaultWaitSeconds}; set it between 0 and AgentServer:MaxWaitSeconds ({options.MaxWaitSeconds}).");
        }

        foreach (var (agent, served) in options.Agents)
        {
            if (!catalog.Agents.ContainsKey(agent))
            {
                errors.Add($"AgentServer:Agents:{agent} names no agent; the agents are {string.Join(", ", catalog.Agents.Keys.Order(StringComparer.Ordinal))} (files in prompts/).");
            }

            if (served.Roles.Count == 0)
            {
                errors.Add($"AgentServer:Agents:{agent}:Roles is empty; name the roles that may ask it ({string.Join(", ", KnownRoles)}).");
            }

            foreach (var role in served.Roles.Where(r => !KnownRoles.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"AgentServer:Agents:{agent}:Roles names '{role}', which is not a role; use {string.Join(", ", KnownRoles)}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
