using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance.Tests.Pipeline;

/// <summary>
/// Hosts that run M.E.AI's <see cref="FunctionInvokingChatClient"/> (Agent Framework's ChatClientAgent among them) pass
/// no tool-call id in the arguments; governance takes the model's id from the loop, for the tool the loop is invoking only.
/// </summary>
public sealed class InvokingLoopCallIdTests
{
    [Fact]
    public async Task ToolLoopsCallIdNamesTheCallPrefixedForASpecialist()
    {
        using var h = new GovernanceHarness();
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);
        using var loop = new FunctionInvokingChatClient(new OneCallChatClient("call_7", tool.Name, CountingTool.Args(("invoice_id", "INV-1"))));
        var specialist = GovernanceHarness.Run(agent: "coordinator").ForHandOff("billing", "call_1");

        using (AgentRunContext.Enter(specialist))
        {
            await loop.GetResponseAsync("look it up", new ChatOptions { Tools = [tool] });
        }

        var trail = (await h.AuditAsync()).Select(r => r.Entry).Where(e => e.Kind.StartsWith("tool.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("tool.decision", "allowed", "call_1/call_7"), ("tool.completed", "completed", "call_1/call_7")],
            trail.Select(e => (e.Kind, e.Decision, e.ToolCallId)));
        Assert.All(trail, e => Assert.Equal("billing", e.Agent));
    }

    [Fact]
    public async Task ToolCalledInsideAnotherToolsCallDoesNotTakeThatCallsId()
    {
        using var h = new GovernanceHarness();
        var lookup = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);

        // An in-process tool that calls a second governed tool itself, as a hand-off runs a specialist's tools.
        var lookupTwice = h.Tool(AIFunctionFactory.Create(
            async (string invoice_id, CancellationToken ct) => await lookup.InvokeAsync(new AIFunctionArguments(CountingTool.Args(("invoice_id", invoice_id))), ct),
            "lookup_twice",
            "Looks an invoice up through another tool."));
        using var loop = new FunctionInvokingChatClient(new OneCallChatClient("call_7", lookupTwice.Name, CountingTool.Args(("invoice_id", "INV-1"))));

        using (AgentRunContext.Enter(GovernanceHarness.Run()))
        {
            await loop.GetResponseAsync("look it up twice", new ChatOptions { Tools = [lookupTwice] });
        }

        var trail = (await h.AuditAsync()).Select(r => r.Entry).Where(e => e.Kind.StartsWith("tool.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["call_7", "call_7"], trail.Where(e => e.Tool == "billing/lookup_twice").Select(e => e.ToolCallId));
        var inner = trail.Where(e => e.Tool == "billing/get_invoice").Select(e => e.ToolCallId!).Distinct().ToList();
        Assert.StartsWith("call_", Assert.Single(inner), StringComparison.Ordinal);
        Assert.NotEqual("call_7", inner[0]);
    }
}
