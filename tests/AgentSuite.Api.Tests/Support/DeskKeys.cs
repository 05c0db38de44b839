namespace AgentSuite.Api.Tests.Support;

/// <summary>The desk's callers with API keys: alice (user), bob (user and approver), ops (admin).</summary>
public static class DeskKeys
{
    public const string Alice = "alice-key-0123456789";
    public const string Bob = "bob-key-01234567890";
    public const string Ops = "ops-key-01234567890";

    /// <summary>The Api settings that switch these keys on (a new dictionary each time, so a test may add to it).</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Keys:0:Key"] = Alice,
        ["Auth:Keys:0:Name"] = "alice",
        ["Auth:Keys:0:Roles:0"] = "user",
        ["Auth:Keys:1:Key"] = Bob,
        ["Auth:Keys:1:Name"] = "bob",
        ["Auth:Keys:1:Roles:0"] = "user",
        ["Auth:Keys:1:Roles:1"] = "approver",
        ["Auth:Keys:2:Key"] = Ops,
        ["Auth:Keys:2:Name"] = "ops",
        ["Auth:Keys:2:Roles:0"] = "admin",
    };
}
