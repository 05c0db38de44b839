namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>The test classes that share one demo-script server without a key.</summary>
[CollectionDefinition(Name)]
public sealed class MockModelServerCollection : ICollectionFixture<MockModelServerFixture>
{
    public const string Name = "mock model server";
}
