namespace AgentSuite.Plugins.Tests.Support;

public sealed class BillingFixture() : PluginFixture(BuiltPlugins.Billing);
