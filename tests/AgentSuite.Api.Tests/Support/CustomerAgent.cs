namespace AgentSuite.Api.Tests.Support;

/// <summary>An external customer agent's API key: principal <see cref="Name"/>, role user, added to the desk's keys.</summary>
public static class CustomerAgent
{
    public const string Name = "acme-refund-bot";
    public const string Key = "acme-refund-bot-key-0123456789";

    /// <summary>The desk's keys, this agent's key, and the coordinator served over MCP to holders of the user role.</summary>
    public static Dictionary<string, string?> Settings()
    {
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:3:Key"] = Key;
        settings["Auth:Keys:3:Name"] = Name;
        settings["Auth:Keys:3:Roles:0"] = "user";
        settings["AgentServer:Agents:coordinator:Roles:0"] = "user";
        return settings;
    }
}
