namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// Billing as its own Api serving the billing agent over MCP, and a coordinator Api reaching it there
/// (<c>Agents:Remote:billing</c>) with a key holding the <c>delegate</c> role. Both have the desk's keys.
/// </summary>
public static class RemoteBilling
{
    public const string CoordinatorKey = "coordinator-key-0123456789";

    /// <summary>A service key that may ask billing as itself, but not act for anyone else.</summary>
    public const string FrontDeskKey = "frontdesk-key-0123456789";

    /// <summary>An approver at billing only: the person who decides billing's approvals there.</summary>
    public const string CarolKey = "carol-key-0123456789";

    public static Dictionary<string, string?> BillingSettings()
    {
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:5:Key"] = CarolKey;
        settings["Auth:Keys:5:Name"] = "carol";
        settings["Auth:Keys:5:Roles:0"] = "approver";
        settings["Auth:Keys:3:Key"] = CoordinatorKey;
        settings["Auth:Keys:3:Name"] = "coordinator";
        settings["Auth:Keys:3:Roles:0"] = "user";
        settings["Auth:Keys:3:Roles:1"] = "delegate";
        settings["Auth:Keys:4:Key"] = FrontDeskKey;
        settings["Auth:Keys:4:Name"] = "frontdesk";
        settings["Auth:Keys:4:Roles:0"] = "user";
        settings["AgentServer:Agents:billing:Roles:0"] = "user";
        return settings;
    }

    public static Dictionary<string, string?> CoordinatorSettings(ApiServer billing)
    {
        var settings = DeskKeys.Settings();
        settings["Agents:Remote:billing:Url"] = new Uri(billing.BaseAddress, "/mcp").ToString();
        settings["Agents:Remote:billing:ApiKey"] = CoordinatorKey;
        return settings;
    }
}
