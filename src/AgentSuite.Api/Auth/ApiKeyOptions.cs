namespace AgentSuite.Api.Auth;

/// <summary>The <c>Auth</c> section. No keys means local demo mode: callers name themselves with <c>X-User</c>.</summary>
public sealed class ApiKeyOptions
{
    public List<ApiKey> Keys { get; set; } = [];

    public bool DemoMode => Keys.Count == 0;
}

/// <summary>One key (<c>Auth:Keys:N</c>): the secret, whose it is, and its roles (<c>user</c>, <c>approver</c>, <c>admin</c>).</summary>
public sealed class ApiKey
{
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}
