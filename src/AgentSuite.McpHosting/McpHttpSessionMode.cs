using Microsoft.Extensions.Configuration;
using ModelContextProtocol.AspNetCore;

namespace AgentSuite.McpHosting;

/// <summary>
/// How a plugin served over Streamable HTTP keeps state between requests, from <c>McpHttp:SessionMode</c> (environment
/// variable <c>McpHttp__SessionMode</c>). The default is <see cref="HttpServerSessionMode.Stateless"/>: every request
/// stands alone, so any instance behind a load balancer can answer it.
/// </summary>
public static class McpHttpSessionMode
{
    public const string Key = "McpHttp:SessionMode";

    /// <summary>The configured mode; throws <see cref="ArgumentException"/> naming the key and the modes it takes.</summary>
    public static HttpServerSessionMode Read(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return HttpServerSessionMode.Stateless;
        }

        // Names only: Enum.TryParse would also take any number.
        var mode = Enum.GetValues<HttpServerSessionMode>()
            .Where(m => string.Equals(m.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(m => (HttpServerSessionMode?)m)
            .FirstOrDefault();
        return mode ?? throw new ArgumentException(
            $"{Key} is '{value}'; use one of {string.Join(", ", Enum.GetNames<HttpServerSessionMode>())} (Stateless when unset).");
    }
}
