using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;

namespace AgentSuite.Governance.Tests.Filters;

public sealed class RateLimitFilterTests
{
    private static Dictionary<string, object?> Invoice(string id) => CountingTool.Args(("invoice_id", id));

    private static Task<ToolCallOutcome> Call(GovernedTool tool, AgentRunContext run, string id, string invoice) =>
        GovernanceHarness.CallAsync(tool, run, id, Invoice(invoice));

    [Fact]
    public async Task PerToolLimitDeniesThirdCallInConversationButNotInAnother()
    {
        using var h = new GovernanceHarness(o => o.Limits.PerToolPerMinute = 2);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var conv1 = GovernanceHarness.Run(conversation: "conv-1", run: "run-1");
        var conv2 = GovernanceHarness.Run(conversation: "conv-2", run: "run-2");

        var first = await Call(tool, conv1, "c1", "inv-1");
        var second = await Call(tool, conv1, "c2", "inv-2");
        var third = await Call(tool, conv1, "c3", "inv-3");
        var elsewhere = await Call(tool, conv2, "c4", "inv-4");

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(ToolCallStatus.Denied, third.Status);
        Assert.Equal("limits", third.Stage);
        Assert.Contains("more than 2 calls per minute to 'billing/get_invoice' by 'billing'", third.Reason, StringComparison.Ordinal);
        Assert.Equal(ToolCallStatus.Completed, elsewhere.Status);
        Assert.Equal(3, counter.Calls);
    }

    [Fact]
    public async Task PerPrincipalLimitFollowsThePrincipalAcrossConversationsAndAnOverrideRaisesIt()
    {
        using var h = new GovernanceHarness(o =>
        {
            o.Limits.PerPrincipalPerMinute = 2;
            o.Limits.Principals["BOB"] = new PrincipalLimitOptions { PerPrincipalPerMinute = 3 };
        });
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var alice = new List<ToolCallOutcome>();
        var bob = new List<ToolCallOutcome>();
        for (var i = 1; i <= 4; i++)
        {
            alice.Add(await Call(tool, GovernanceHarness.Run(conversation: $"conv-a{i}", run: $"run-a{i}"), $"a{i}", $"inv-{i}"));
            bob.Add(await Call(tool, GovernanceHarness.Run(principal: GovernanceHarness.Bob, conversation: $"conv-b{i}", run: $"run-b{i}"), $"b{i}", $"inv-{i}"));
        }

        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied, ToolCallStatus.Denied], alice.Select(o => o.Status));
        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied], bob.Select(o => o.Status));
        Assert.Equal("limits", alice[2].Stage);
        Assert.Matches(@"^Rate limit: more than 2 tool calls per minute on behalf of 'alice' \(Governance:Limits:PerPrincipalPerMinute\); retry after \d+ s\.$", alice[2].Reason);
        Assert.Equal(5, counter.Calls);
    }

    [Fact]
    public async Task PerToolLimitIsCountedPerToolAndPerAgent()
    {
        using var h = new GovernanceHarness(o =>
        {
            o.Limits.PerToolPerMinute = 1;
            o.Agents["support"] = new AgentPolicyOptions { Allow = ["billing/*"] };
        });
        var counter = new CountingTool();
        var lookup = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var echo = h.Tool(counter.Echo(), annotations: ToolAnnotations.ReadOnly);

        var billingLookup = await Call(lookup, GovernanceHarness.Run("billing"), "c1", "inv-1");
        var billingEcho = await GovernanceHarness.CallAsync(echo, GovernanceHarness.Run("billing"), "c2", CountingTool.Args(("text", "hi")));
        var supportLookup = await Call(lookup, GovernanceHarness.Run("support", run: "run-2"), "c3", "inv-2");
        var billingAgain = await Call(lookup, GovernanceHarness.Run("billing"), "c4", "inv-3");

        Assert.Equal(ToolCallStatus.Completed, billingLookup.Status);
        Assert.Equal(ToolCallStatus.Completed, billingEcho.Status);
        Assert.Equal(ToolCallStatus.Completed, supportLookup.Status);
        Assert.Equal(ToolCallStatus.Denied, billingAgain.Status);
        Assert.Equal(3, counter.Calls);
    }

    [Fact]
    public async Task PerConversationLimitCountsAllToolsTogether()
    {
        using var h = new GovernanceHarness(o => o.Limits.PerConversationPerMinute = 3);
        var counter = new CountingTool();
        var lookup = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var echo = h.Tool(counter.Echo(), "policy", ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var outcomes = new List<ToolCallOutcome>
        {
            await Call(lookup, run, "c1", "inv-1"),
            await GovernanceHarness.CallAsync(echo, run, "c2", CountingTool.Args(("text", "a"))),
            await Call(lookup, run, "c3", "inv-2"),
            await GovernanceHarness.CallAsync(echo, run, "c4", CountingTool.Args(("text", "b"))),
        };
        var otherConversation = await Call(lookup, GovernanceHarness.Run(conversation: "conv-2", run: "run-2"), "c5", "inv-3");

        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied], outcomes.Select(o => o.Status));
        Assert.Equal("limits", outcomes[3].Stage);
        Assert.Contains("more than 3 tool calls per minute in this conversation", outcomes[3].Reason, StringComparison.Ordinal);
        Assert.Equal(ToolCallStatus.Completed, otherConversation.Status);
        Assert.Equal(4, counter.Calls);
    }

    [Fact]
    public async Task PerToolOverrideReplacesDefaultForMatchingToolsOnly()
    {
        using var h = new GovernanceHarness(o =>
        {
            o.Limits.PerToolPerMinute = 1;
            o.Limits.Tools = [new ToolLimitOptions { Tool = "billing/get_*", PerMinute = 3 }];
        });
        var counter = new CountingTool();
        var lookup = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var echo = h.Tool(counter.Echo(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var lookups = new List<ToolCallStatus>();
        for (var i = 1; i <= 4; i++)
        {
            lookups.Add((await Call(lookup, run, $"l{i}", $"inv-{i}")).Status);
        }

        var echo1 = await GovernanceHarness.CallAsync(echo, run, "e1", CountingTool.Args(("text", "a")));
        var echo2 = await GovernanceHarness.CallAsync(echo, run, "e2", CountingTool.Args(("text", "b")));

        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied], lookups);
        Assert.Equal(ToolCallStatus.Completed, echo1.Status);
        Assert.Equal(ToolCallStatus.Denied, echo2.Status);
        Assert.Contains("more than 1 calls per minute to 'billing/echo'", echo2.Reason, StringComparison.Ordinal);
        Assert.Equal(4, counter.Calls);
    }

    [Fact]
    public async Task IdenticalCallsBeyondLoopLimitAreStopped()
    {
        using var h = new GovernanceHarness(o => o.Limits.MaxIdenticalCallsPerRun = 2);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var first = await Call(tool, run, "c1", "inv-1");
        var second = await Call(tool, run, "c2", "inv-1");
        var third = await Call(tool, run, "c3", "inv-1");

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(ToolCallStatus.Denied, third.Status);
        Assert.Equal("limits", third.Stage);
        Assert.StartsWith("Loop", third.Reason, StringComparison.Ordinal);
        Assert.Contains("'billing/get_invoice' was called 3 times with the same arguments in this run (limit 2)", third.Reason, StringComparison.Ordinal);
        Assert.Equal(2, counter.Calls);
    }

    [Fact]
    public async Task RetryWithSameToolCallIdCountsOnceTowardsLoop()
    {
        using var h = new GovernanceHarness(o => o.Limits.MaxIdenticalCallsPerRun = 2);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var statuses = new List<ToolCallStatus>
        {
            (await Call(tool, run, "c1", "inv-1")).Status,
            (await Call(tool, run, "c1", "inv-1")).Status,
            (await Call(tool, run, "c1", "inv-1")).Status,
            (await Call(tool, run, "c2", "inv-1")).Status,
            (await Call(tool, run, "c2", "inv-1")).Status,
            (await Call(tool, run, "c3", "inv-1")).Status,
        };

        Assert.Equal([.. Enumerable.Repeat(ToolCallStatus.Completed, 5), ToolCallStatus.Denied], statuses);
        Assert.Equal(5, counter.Calls);
    }

    [Fact]
    public async Task LoopLimitIgnoresOtherArgumentsAndOtherRuns()
    {
        using var h = new GovernanceHarness(o => o.Limits.MaxIdenticalCallsPerRun = 2);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run(run: "run-1");

        await Call(tool, run, "c1", "inv-1");
        await Call(tool, run, "c2", "inv-1");
        var looping = await Call(tool, run, "c3", "inv-1");
        var otherArguments = await Call(tool, run, "c4", "inv-2");
        var otherRun = await Call(tool, GovernanceHarness.Run(run: "run-2"), "c5", "inv-1");

        Assert.Equal(ToolCallStatus.Denied, looping.Status);
        Assert.Equal(ToolCallStatus.Completed, otherArguments.Status);
        Assert.Equal(ToolCallStatus.Completed, otherRun.Status);
        Assert.Equal(4, counter.Calls);
    }

    [Fact]
    public async Task ZeroTurnsEveryLimitOff()
    {
        using var h = new GovernanceHarness(o =>
        {
            o.Limits.PerToolPerMinute = 0;
            o.Limits.PerConversationPerMinute = 0;
            o.Limits.MaxIdenticalCallsPerRun = 0;
        });
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var statuses = new List<ToolCallStatus>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await Call(tool, run, $"c{i}", "inv-1")).Status);
        }

        Assert.All(statuses, s => Assert.Equal(ToolCallStatus.Completed, s));
        Assert.Equal(40, counter.Calls);
    }

    [Fact]
    public async Task NegativeLimitMakesPolicyInvalidAndDeniesCalls()
    {
        using var h = new GovernanceHarness(o => o.Limits.PerToolPerMinute = -1);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await Call(tool, GovernanceHarness.Run(), "c1", "inv-1");

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("policy", outcome.Stage);
        Assert.Contains("Limits:PerToolPerMinute", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task RateLimitDenialIsAuditedWithStage()
    {
        using var h = new GovernanceHarness(o => o.Limits.PerToolPerMinute = 1);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        await Call(tool, run, "c1", "inv-1");
        await Call(tool, run, "c2", "inv-2");

        var denial = Assert.Single(await h.AuditAsync("conv-1"), r => r.Entry.Decision == "denied");
        Assert.Equal("c2", denial.Entry.ToolCallId);
        Assert.Equal("limits", denial.Entry.Data!.Value.GetProperty("stage").GetString());
    }
}
