namespace AgentSuite.Plugins.Tests.Support;

public sealed class PolicyFixture() : PluginFixture(BuiltPlugins.Policy);
