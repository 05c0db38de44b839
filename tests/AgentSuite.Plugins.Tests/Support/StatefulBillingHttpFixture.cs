namespace AgentSuite.Plugins.Tests.Support;

/// <summary>The billing server over Streamable HTTP with sessions for clients that start with <c>initialize</c>.</summary>
public sealed class StatefulBillingHttpFixture() : HttpPluginFixture(
    BuiltPlugins.Billing, new Dictionary<string, string?> { ["McpHttp__SessionMode"] = "StatefulForInitializeClients" });
