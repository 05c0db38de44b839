namespace AgentSuite.Plugins.Tests.Support;

/// <summary>The billing server over Streamable HTTP as it ships: stateless.</summary>
public sealed class BillingHttpFixture() : HttpPluginFixture(BuiltPlugins.Billing);
