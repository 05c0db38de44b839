using AgentSuite.Governance;

namespace AgentSuite.Governance.Tests;

public sealed class PrincipalTests
{
    [Fact]
    public void ATokensCallerIsRecordedWithTheirSubjectAndRecognisedByItWhateverTheirName()
    {
        var alice = new Principal(Principal.Recorded("Alice", "sub-a"), Roles.Approver) { Subject = "sub-a" };
        var renamed = new Principal(Principal.Recorded("Alice Married-Name", "sub-a"), Roles.Approver) { Subject = "sub-a" };
        var namesake = new Principal(Principal.Recorded("Alice", "sub-b"), Roles.Approver) { Subject = "sub-b" };

        Assert.Equal("Alice (sub-a)", alice.Name);
        Assert.Equal("sub-a", Principal.Recorded(null, "sub-a"));
        Assert.True(renamed.IsSamePersonAs(alice.Name));
        Assert.True(renamed.IsSamePersonAs("sub-a"));
        Assert.False(namesake.IsSamePersonAs(alice.Name));
    }

    [Fact]
    public void AKeysOrDemoCallerIsThePersonOfTheirNameInAnyCase()
    {
        var alice = new Principal("alice", Roles.User);

        Assert.True(alice.IsSamePersonAs("ALICE"));
        Assert.False(alice.IsSamePersonAs("alice (sub-a)"));
        Assert.False(alice.IsSamePersonAs(null));
    }
}
