using Microsoft.Extensions.Options;

namespace AgentSuite.Mcp;

/// <summary>Refuses a server entry that names no transport, or two; the message names the key to fix.</summary>
public sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var failures = new List<string>();
        foreach (var (server, s) in options.Servers)
        {
            var key = $"{McpOptions.SectionName}:Servers:{server}";
            if (string.IsNullOrWhiteSpace(server) || server.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"{key}: a server name must be non-empty and cannot contain '/'.");
            }

            var hasCommand = !string.IsNullOrWhiteSpace(s.Command);
            if (hasCommand == (s.Url is not null))
            {
                failures.Add($"{key}: set exactly one of Command (stdio) or Url (Streamable HTTP).");
            }

            if (s.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            {
                failures.Add($"{key}:Url must be an absolute http(s) URL, e.g. http://127.0.0.1:5101/mcp.");
            }
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{McpOptions.SectionName}:CallTimeout and ConnectTimeout must be positive, e.g. \"00:00:30\".");
        }

        if (options.StatusInterval <= TimeSpan.Zero)
        {
            failures.Add($"{McpOptions.SectionName}:StatusInterval must be positive, e.g. \"00:00:05\".");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
