namespace AgentSuite.Durability.Tests.Support;

/// <summary>
/// The Api's <c>Mcp:Servers</c> for the tool-outcome tests: <c>billing</c> is the commit-then-hang test server
/// (tests/AgentSuite.TestPlugins.CommitThenHang) on its own file in the data folder, <c>policy</c> the real Policy plugin.
/// Any entry under Mcp:Servers replaces the embedded plugins, so both are named.
/// </summary>
public static class CommitThenHangSettings
{
    public const string BillingFileName = "billing-commit-then-hang.db";

    public static Dictionary<string, string?> For(string dataFolder) => new()
    {
        ["Mcp:Servers:billing:Command"] = "dotnet",
        ["Mcp:Servers:billing:Arguments:0"] = Built.CommitThenHangServer,
        ["Mcp:Servers:billing:Arguments:1"] = "--data",
        ["Mcp:Servers:billing:Arguments:2"] = Path.Combine(dataFolder, BillingFileName),
        ["Mcp:Servers:policy:Command"] = "dotnet",
        ["Mcp:Servers:policy:Arguments:0"] = Built.PolicyServer,
        ["Mcp:Servers:policy:Arguments:1"] = "--data",
        ["Mcp:Servers:policy:Arguments:2"] = Path.Combine(dataFolder, "policy.db"),
    };
}
