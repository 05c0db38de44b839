using Microsoft.Extensions.Options;

namespace AgentSuite.Agents.Remote;

/// <summary>Checks <c>Agents:Remote</c> at start: each remote has an http(s) URL (plain HTTP only to loopback unless allowed), a key and a sensible wait.</summary>
internal sealed class RemoteAgentsOptionsValidator : IValidateOptions<AgentsOptions>
{
    public const int MaxWaitSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, AgentsOptions options)
    {
        var errors = new List<string>();
        foreach (var (agent, remote) in options.Remote)
        {
            var at = $"Agents:Remote:{agent}";
            if (agent.Length == 0 || !agent.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                errors.Add($"{at}: the agent name must use only letters, digits, '_' and '-' (it is the remote tool ask_{agent}).");
            }

            if (!Uri.TryCreate(remote.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{at}:Url '{remote.Url}' is not an http(s) URL; set the remote Api's MCP endpoint, e.g. https://billing.example/mcp.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !remote.AllowInsecureHttp)
            {
                // The key and the person's name would cross the network in clear text.
                errors.Add($"{at}:Url '{remote.Url}' is plain HTTP to '{url.Host}', which is not loopback, so the key and the person acted for would travel unencrypted; "
                    + $"use HTTPS, or set {at}:AllowInsecureHttp=true for a network you trust (a private container network).");
            }

            if (string.IsNullOrWhiteSpace(remote.ApiKey))
            {
                errors.Add($"{at}:ApiKey is empty; set the key the remote Api gave this coordinator (its Auth:Keys entry with the 'delegate' role).");
            }

            if (remote.WaitSeconds is < 1 or > MaxWaitSeconds)
            {
                errors.Add($"{at}:WaitSeconds is {remote.WaitSeconds}; set it between 1 and {MaxWaitSeconds}, or remove it to wait as long as Governance:Approval:Timeout.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
