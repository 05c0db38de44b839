using AgentSuite.Agents.Turns;

namespace AgentSuite.Agents.Tests;

public sealed class TurnCheckpointTests
{
    [Fact]
    public void ATokenHoldersSubjectSurvivesTheCheckpointSoAResumedTurnIsStillJudgedOnThePerson()
    {
        var saved = new TurnCheckpoint { Coordinator = "coordinator", Principal = "Alice Smith (sub-alice)", Roles = ["user"], Subject = "sub-alice" };

        var resumed = TurnCheckpoint.Read(saved.Serialize()).ToPrincipal();

        Assert.Equal(("Alice Smith (sub-alice)", "sub-alice"), (resumed.Name, resumed.Subject));
        // Renamed at the provider since: without the subject the names alone would not match.
        Assert.True(resumed.IsSamePersonAs("Alice Jones (sub-alice)"));
    }

    [Fact]
    public void ACheckpointWrittenWithoutASubjectReadsAsAnApiKeyCallers()
    {
        var json = new TurnCheckpoint { Coordinator = "coordinator", Principal = "alice", Roles = ["user"] }.Serialize();

        Assert.DoesNotContain("subject", json, StringComparison.Ordinal);
        Assert.Null(TurnCheckpoint.Read(json).ToPrincipal().Subject);
    }
}
