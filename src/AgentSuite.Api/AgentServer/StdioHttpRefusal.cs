using AgentSuite.Api.Auth;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// Why <c>--mcp-stdio</c> with a listen address needs keys or tokens: in local demo mode any process on the machine (the
/// assistant's own fetch or shell tools among them) could name itself an approver on that port and approve what the
/// stdio caller asked, engage kill switches or read every conversation.
/// </summary>
internal static class StdioHttpRefusal
{
    /// <summary>Whether neither <c>Auth:Keys</c> nor <c>Auth:Jwt</c> is configured, so HTTP would run in local demo mode.</summary>
    public static bool InDemoMode(IConfiguration configuration)
    {
        var jwt = configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        return !jwt.Enabled && !configuration.GetSection("Auth:Keys").GetChildren().Any();
    }

    public static string Message(string listenConfiguredBy) =>
        $"--mcp-stdio with a listen address ({listenConfiguredBy}) serves the page, /api and /mcp, and no API keys (Auth:Keys) or bearer tokens (Auth:Jwt) are configured: " +
        "in local demo mode any local process could name itself an approver and approve the stdio caller's requests. " +
        "Configure keys, at least one for an approver (Auth:Keys:0:Key, Auth:Keys:0:Name, Auth:Keys:0:Roles:0=approver), or Auth:Jwt; or leave the listen address out to serve no HTTP.";
}
