namespace AgentSuite.Api.Auth;

/// <summary>
/// The <c>Auth</c> section. No keys and no bearer tokens (<c>Auth:Jwt</c>) means local demo mode: callers name
/// themselves with <c>X-User</c>.
/// </summary>
public sealed class ApiKeyOptions
{
    public List<ApiKey> Keys { get; set; } = [];

    /// <summary>Whether <c>Auth:Jwt</c> is configured: then <c>X-User</c> is never trusted, keys or not. Set at start, not bound.</summary>
    public bool BearerTokens { get; internal set; }

    public bool DemoMode => Keys.Count == 0 && !BearerTokens;
}

/// <summary>One key (<c>Auth:Keys:N</c>): the secret, whose it is, and its roles (<c>user</c>, <c>approver</c>, <c>admin</c>).</summary>
public sealed class ApiKey
{
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}
