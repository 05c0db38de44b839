namespace AgentSuite.Governance.Tests.Support;

/// <summary>Tests that lower this process's address-space limit run alone, so no other test meets the limit.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AddressSpaceCollection
{
    public const string Name = "address space";
}
