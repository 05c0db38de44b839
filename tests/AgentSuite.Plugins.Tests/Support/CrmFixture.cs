namespace AgentSuite.Plugins.Tests.Support;

public sealed class CrmFixture() : PluginFixture(BuiltPlugins.Crm);
