using AgentSuite.Agents;
using AgentSuite.Agents.Remote;

namespace AgentSuite.Agents.Tests;

/// <summary><c>Agents:Remote</c> is checked at start, and a remote agent needs no prompt file of its own.</summary>
public sealed class RemoteAgentOptionsTests
{
    [Fact]
    public void ALoopbackHttpUrlWithAKeyIsValid()
    {
        var result = Validate(new RemoteAgentOptions { Url = "http://127.0.0.1:5200/mcp", ApiKey = "coordinator-key-0123456789" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void PlainHttpToAnotherHostIsRefusedUnlessAllowed()
    {
        var refused = Validate(new RemoteAgentOptions { Url = "http://billing.internal/mcp", ApiKey = "k" });
        var allowed = Validate(new RemoteAgentOptions { Url = "http://billing.internal/mcp", ApiKey = "k", AllowInsecureHttp = true });

        Assert.Contains("Agents:Remote:billing:Url 'http://billing.internal/mcp' is plain HTTP to 'billing.internal', which is not loopback", refused.FailureMessage, StringComparison.Ordinal);
        Assert.True(allowed.Succeeded, allowed.FailureMessage);
    }

    [Fact]
    public void AMissingUrlKeyOrASenselessWaitIsNamedWithWhatToSet()
    {
        var result = Validate(new RemoteAgentOptions { Url = "billing", ApiKey = " ", WaitSeconds = 0 });

        Assert.Contains("Agents:Remote:billing:Url 'billing' is not an http(s) URL", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Agents:Remote:billing:ApiKey is empty", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Agents:Remote:billing:WaitSeconds is 0; set it between 1 and 86400", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AHandOffToARemoteAgentNeedsNoPromptFileButToAnUnknownOneStillFails()
    {
        var folder = Directory.CreateTempSubdirectory("agentsuite-remote-prompts").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "coordinator.yaml"), "name: coordinator\ntemplate: Hand work on.\nagents: [billing]\n");

            var agents = AgentDefinitionLoader.LoadFolder(folder, ["billing"]);
            var error = Assert.Throws<FormatException>(() => AgentDefinitionLoader.LoadFolder(folder));

            Assert.Equal(["billing"], agents["coordinator"].HandOffs);
            Assert.Contains("hands off to 'billing', but no agent of that name is defined", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ATokenHoldersNameIsSentApartFromTheSubjectSoTheRemoteRecordsItOnce()
    {
        var bob = new AgentSuite.Governance.Principal("Bob (sub-bob)", "user") { Subject = "sub-bob" };
        var run = new AgentSuite.Governance.AgentRunContext("conv_1", "run_1", "coordinator", bob);

        var person = DelegationMeta.For(run, "call_1", "host/1")[DelegationMeta.OnBehalfOf]!;

        Assert.Equal(("Bob", "sub-bob"), (person["name"]!.GetValue<string>(), person["subject"]!.GetValue<string>()));
        Assert.Equal("Bob (sub-bob)", AgentSuite.Governance.Principal.Recorded(person["name"]!.GetValue<string>(), person["subject"]!.GetValue<string>()));
    }

    [Fact]
    public void TheRemoteKeyIsTheRunAndCallSoEveryAskOfOneHandOffNamesOneRemoteTurn()
    {
        var run = new AgentSuite.Governance.AgentRunContext("conv_1", "run_1", "coordinator", new AgentSuite.Governance.Principal("alice", "user"));

        Assert.Equal("run_1/call_1", RemoteAgent.KeyFor(run, "call_1"));
        Assert.Equal(RemoteAgent.KeyFor(run, "call_1"), RemoteAgent.KeyFor(run with { Agent = "coordinator" }, "call_1"));
        Assert.StartsWith("sha256:", RemoteAgent.KeyFor(run, new string('c', 300)), StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(RemoteAgentOptions remote)
    {
        var options = new AgentsOptions();
        options.Remote["billing"] = remote;
        return new RemoteAgentsOptionsValidator().Validate(null, options);
    }
}
