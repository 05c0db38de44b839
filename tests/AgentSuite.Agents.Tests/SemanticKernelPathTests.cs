using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Agents.Kernels;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// What Semantic Kernel's tool loop does not give by itself and the product keeps, each through the SK path: a kernel
/// per agent run, the governance filter, and the one model pipeline.
/// </summary>
public sealed class SemanticKernelPathTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Dictionary<string, object?> Json(params (string Name, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => (object?)JsonSerializer.SerializeToElement(p.Value));

    private static ScriptedChatClient BillingOnly(Func<IReadOnlyList<ChatMessage>, ChatResponse> billing) => new ScriptedChatClient().For("billing", billing);

    private static Task<AgentRunResult> AskBillingAsync(AgentHarness h, string text, IGovernanceEventSink? events = null) =>
        h.Runner.RunAsync("billing", AgentHarness.Run(events) with { Agent = "billing" }, [new ChatMessage(ChatRole.User, text)]);

    [Fact]
    public async Task EachGovernedCallIsOneDecisionAndOneOutcomeInTheAuditNamedAsPolicyNamesIt()
    {
        var model = BillingOnly(m => ScriptedChatClient.ToolResults(m) switch
        {
            0 => ScriptedChatClient.Call("billing_get_invoice", Json(("invoice_id", "INV-1002")), "call_1"),
            1 => ScriptedChatClient.Call("billing_issue_refund", Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 49m), ("idempotency_key", "INV-1002/CH-2")), "call_2"),
            _ => ScriptedChatClient.Say("refunded"),
        });
        await using var h = new AgentHarness(model);

        var result = await AskBillingAsync(h, "refund CH-2").WaitAsync(Patience);

        Assert.Equal("refunded", result.Text);
        Assert.Equal(1, h.Refunds);
        var audit = await h.AuditAsync();
        foreach (var (callId, tool) in new[] { ("call_1", "billing/get_invoice"), ("call_2", "billing/issue_refund") })
        {
            var entries = audit.Where(e => e.ToolCallId == callId).ToList();
            Assert.Equal([GovernanceEventTypes.ToolDecision, GovernanceEventTypes.ToolCompleted], entries.Select(e => e.Kind));
            Assert.All(entries, e => Assert.Equal((tool, "billing", "alice", "conv-1"), (e.Tool, e.Agent, e.Principal, e.ConversationId)));
        }

        // The model read the tools by their kernel names: plugin "billing", functions "get_invoice" and "issue_refund".
        Assert.Equal(["billing_get_invoice", "billing_issue_refund"], model.Requests[0].Tools.Order());
    }

    [Fact]
    public async Task AToolTheAllowListWithholdsIsDeniedWithTheAllowListsReasonWhenTheModelNamesItAnyway()
    {
        var model = BillingOnly(m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("billing_issue_refund", Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 49m), ("idempotency_key", "k")), "call_1")
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model, g => g.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/get_*"] });

        var result = await AskBillingAsync(h, "refund CH-2").WaitAsync(Patience);

        Assert.DoesNotContain("billing_issue_refund", model.Requests[0].Tools);
        Assert.Contains("\"status\":\"denied\"", result.Text, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"allow-list\"", result.Text, StringComparison.Ordinal);
        var denial = Assert.Single(await h.AuditAsync(), e => e.ToolCallId == "call_1");
        Assert.Equal(("billing/issue_refund", "denied"), (denial.Tool, denial.Decision));
        Assert.Equal(0, h.Refunds);
    }

    [Fact]
    public async Task ANameNoFunctionCanCarryIsStillDeniedAndAuditedAndTheModelIsToldItWasNotFound()
    {
        var model = BillingOnly(m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("pay-out.everything", Json(("to", "attacker")), "call_1")
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model);

        var result = await AskBillingAsync(h, "pay out").WaitAsync(Patience);

        Assert.Contains("not found", result.Text, StringComparison.Ordinal);
        var denial = Assert.Single(await h.AuditAsync(), e => e.ToolCallId == "call_1");
        Assert.Equal(("pay-out.everything", "denied", "billing"), (denial.Tool, denial.Decision, denial.Agent));
        Assert.Contains("No tool named 'pay-out.everything'", denial.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedArgumentsAreDeniedAtTheArgumentsStageAndTheToolNeverRunsWithEmptyArguments()
    {
        var model = BillingOnly(m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Malformed("billing_issue_refund", "{\"invoice_id\": \"INV-1002\", \"amount\": ", "call_1")
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model);

        var result = await AskBillingAsync(h, "refund").WaitAsync(Patience);

        Assert.Contains("\"stage\":\"arguments\"", result.Text, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", result.Text, StringComparison.Ordinal);
        var denial = Assert.Single(await h.AuditAsync(), e => e.ToolCallId == "call_1");
        Assert.Equal(("billing/issue_refund", "denied"), (denial.Tool, denial.Decision));
        Assert.Equal(0, h.Refunds);
    }

    [Fact]
    public async Task WhenOneCallOfAResponseIsStoppedEveryOtherCallStillGetsItsResult()
    {
        var model = BillingOnly(m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Calls(
                ("billing_issue_refund", Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 49m), ("idempotency_key", "k")), "call_1"),
                ("billing_get_invoice", Json(("invoice_id", "INV-1002")), "call_2"))
            : ScriptedChatClient.Say("done"));
        await using var h = new AgentHarness(model, g => g.KillSwitch.Engaged.Add("tool:billing/issue_refund"));

        await AskBillingAsync(h, "refund").WaitAsync(Patience);

        // The next request answers both calls, the stopped one with its denial, before the model speaks again.
        var results = model.Sent[1].Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString() ?? "");
        Assert.Equal(["call_1", "call_2"], results.Keys.Order());
        Assert.Contains("kill switch", results["call_1"], StringComparison.Ordinal);
        Assert.Contains("CH-2", results["call_2"], StringComparison.Ordinal);
        Assert.Equal(0, h.Refunds);
    }

    [Fact]
    public async Task AFilterThatTerminatesStillLeavesEveryCallOfTheResponseAnsweredInTheHistory()
    {
        var model = new ScriptedChatClient().For("", _ => ScriptedChatClient.Calls(("tools_first", [], "call_1"), ("tools_second", [], "call_2")));
        var ran = new List<string>();
        var kernel = new Kernel(new ServiceCollection().AddSingleton(new ChatClientBuilder(model).UseKernelFunctionInvocation().Build().AsChatCompletionService()).BuildServiceProvider());
        kernel.Plugins.AddFromFunctions("tools", [
            KernelFunctionFactory.CreateFromMethod(() => ran.Add("first"), "first"),
            KernelFunctionFactory.CreateFromMethod(() => ran.Add("second"), "second"),
        ]);
        kernel.AutoFunctionInvocationFilters.Add(new TerminateAfterFirst());
        var agent = new ChatCompletionAgent { Name = "a", Instructions = "Call both.", Kernel = kernel, Arguments = new(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }) };
        var history = new ChatHistory([new ChatMessageContent(AuthorRole.User, "go")]);

        await foreach (var _ in agent.InvokeStreamingAsync(history))
        {
        }

        Assert.Equal(["first"], ran);

        // Both calls of the response in one assistant message, as the protocol has them, and both answered.
        Assert.Single(history, m => m.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>().Count() == 2);
        var calls = history.SelectMany(m => m.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>()).Select(c => c.Id).Order();
        var answered = history.SelectMany(m => m.Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>()).Select(r => r.CallId).Order();
        Assert.Equal(["call_1", "call_2"], calls);
        Assert.Equal(calls, answered);
    }

    [Fact]
    public async Task TheNonStreamedInvokeRunsToolsThroughTheKernelAndAddsCallsResultsAndReplyToTheHistory()
    {
        var model = new ScriptedChatClient().For("", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("clock_now", [], "call_1")
            : ScriptedChatClient.Say("It is " + ScriptedChatClient.LastResult(m)));
        var kernel = new Kernel(new ServiceCollection().AddSingleton(new ChatClientBuilder(model).UseKernelFunctionInvocation().Build().AsChatCompletionService()).BuildServiceProvider());
        kernel.Plugins.AddFromFunctions("clock", [KernelFunctionFactory.CreateFromMethod(() => "noon", "now")]);
        var agent = new ChatCompletionAgent { Name = "a", Instructions = "Tell the time.", Kernel = kernel, Arguments = new(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }) };
        var history = new ChatHistory([new ChatMessageContent(AuthorRole.User, "time?")]);

        var replies = new List<ChatMessageContent>();
        await foreach (var reply in agent.InvokeAsync(history))
        {
            replies.Add(reply);
        }

        Assert.Equal("It is noon", replies[^1].Content);
        Assert.Equal([AuthorRole.User, AuthorRole.Assistant, AuthorRole.Tool, AuthorRole.Assistant], history.Select(m => m.Role));
    }

    [Fact]
    public async Task ASpecialistsFailuresInARowEndItWithAFailureNamingItsToolAndTheCoordinatorReadsIt()
    {
        var model = new ScriptedChatClient()
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("ask_billing", Json(("request", "refund 90")), "call_1")
                : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("billing", m => ScriptedChatClient.Call(
                "billing_issue_refund",
                Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 90m + ScriptedChatClient.ToolResults(m)), ("idempotency_key", "k" + ScriptedChatClient.ToolResults(m)))));
        await using var h = new AgentHarness(model);

        var result = await h.AskAsync("Refund 90").WaitAsync(Patience);

        Assert.Contains("\"status\":\"failed\"", result.Text, StringComparison.Ordinal);
        Assert.Contains("Agent 'billing' stopped after 3 failed tool calls in a row; the last: billing/issue_refund: ", result.Text, StringComparison.Ordinal);
        var audit = await h.AuditAsync();
        var handOff = Assert.Single(audit, e => e.Tool == "agents/ask_billing" && e.Kind == GovernanceEventTypes.ToolFailed);
        Assert.Equal("call_1", handOff.ToolCallId);
        Assert.Contains("Refund of 92 exceeds the refundable 49.00", result.Text, StringComparison.Ordinal);
        Assert.Equal(3, audit.Count(e => e.Tool == "billing/issue_refund" && e.Kind == GovernanceEventTypes.ToolFailed && e.ToolCallId!.StartsWith("call_1/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AHandOffBackToAnAgentAlreadyWorkingOnTheRequestIsDenied()
    {
        using var prompts = new PromptsFolder(
            ("front.yaml", "name: front\ndescription: front desk\ntemplate: Hand off.\nagents: [back]\n"),
            ("back.yaml", "name: back\ndescription: back office\ntemplate: Hand back.\nagents: [front]\n"));
        var model = new ScriptedChatClient()
            .For("front", m => ScriptedChatClient.ToolResults(m) == 0 ? ScriptedChatClient.Call("ask_back", Json(("request", "help")), "call_1") : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("back", m => ScriptedChatClient.ToolResults(m) == 0 ? ScriptedChatClient.Call("ask_front", Json(("request", "help")), "call_1") : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model, g => g.Agents["front"] = g.Agents["back"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] }, promptsFolder: prompts.Path);

        var result = await h.Runner.RunAsync("front", AgentHarness.Run() with { Agent = "front" }, [new ChatMessage(ChatRole.User, "hi")]).WaitAsync(Patience);

        Assert.Contains("would loop", result.Text, StringComparison.Ordinal);
        Assert.Contains("front -> back -> front", result.Text, StringComparison.Ordinal);
        var denial = Assert.Single(await h.AuditAsync(), e => e.ToolCallId == "call_1/call_1");
        Assert.Equal(("agents/ask_front", "back", "denied"), (denial.Tool, denial.Agent, denial.Decision));
        Assert.Equal(2, model.Requests.Count(r => r.Agent == "front"));
    }

    [Fact]
    public async Task HandOffsDeeperThanTheLimitAreDenied()
    {
        using var prompts = new PromptsFolder(
            ("one.yaml", "name: one\ntemplate: t\nagents: [two]\n"),
            ("two.yaml", "name: two\ntemplate: t\nagents: [three]\n"),
            ("three.yaml", "name: three\ntemplate: t\n"));
        var model = new ScriptedChatClient()
            .For("one", m => ScriptedChatClient.ToolResults(m) == 0 ? ScriptedChatClient.Call("ask_two", Json(("request", "x")), "call_1") : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("two", m => ScriptedChatClient.ToolResults(m) == 0 ? ScriptedChatClient.Call("ask_three", Json(("request", "x")), "call_1") : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("three", _ => ScriptedChatClient.Say("three answered"));
        await using var h = new AgentHarness(model, g => g.Agents["one"] = g.Agents["two"] = new AgentPolicyOptions { Allow = ["agents/ask_*"] }, promptsFolder: prompts.Path, maxHandOffDepth: 1);

        var result = await h.Runner.RunAsync("one", AgentHarness.Run() with { Agent = "one" }, [new ChatMessage(ChatRole.User, "hi")]).WaitAsync(Patience);

        Assert.Contains("would nest 2 hand-offs deep; the limit is 1 (Agents:MaximumHandOffDepth)", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Requests, r => r.Agent == "three");
    }

    [Fact]
    public async Task InstructionsAreRenderedAsATemplateWithTheRunsArguments()
    {
        using var prompts = new PromptsFolder(("greeter.yaml", "name: greeter\ntemplate: Greet {{$name}} in {{$conversation_id}} on {{$today}}.\ntemplate_format: semantic-kernel\n"));
        var model = new ScriptedChatClient().For("greeter", _ => ScriptedChatClient.Say("hello"));
        await using var h = new AgentHarness(model, promptsFolder: prompts.Path);

        await h.Runner.RunAsync("greeter", AgentHarness.Run() with { Agent = "greeter" }, [new ChatMessage(ChatRole.User, "hi")]).WaitAsync(Patience);

        var system = model.Sent[0].Messages[0];
        Assert.Equal((ChatRole.System, "greeter"), (system.Role, system.AuthorName));
        Assert.Equal($"Greet alice in conv-1 on {DateTime.UtcNow:yyyy-MM-dd}.", system.Text);
    }

    [Theory]
    [InlineData("template: Look it up {{billing.get_invoice}}", "no function calls")]
    [InlineData("template: hi\ntemplate_format: handlebars", "template_format 'handlebars' is not supported")]
    [InlineData("template: Greet {{$nmae}}", "uses {{$nmae}}, which no run provides")]
    public void ABrokenTemplateIsRefusedAtLoadNamingTheFile(string yaml, string message)
    {
        var ex = Assert.Throws<FormatException>(() => AgentDefinitionLoader.Parse("name: a\n" + yaml, "prompts/a.yaml"));

        Assert.StartsWith("prompts/a.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCoordinatorAndTheSpecialistBothStreamTheirAnswersAsDeltas()
    {
        var model = new ScriptedChatClient()
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("ask_billing", Json(("request", "hours?")), "call_1")
                : ScriptedChatClient.Say("We open at nine."))
            .For("billing", _ => ScriptedChatClient.Say("Nine to five."));
        await using var h = new AgentHarness(model);
        var events = new ConcurrentQueue<GovernanceEvent>();

        await h.AskAsync("When do you open?", new Sink(events)).WaitAsync(Patience);

        var deltas = events.Where(e => e.Type == GovernanceEventTypes.MessageDelta).ToList();
        Assert.Equal("Nine to five.", string.Concat(deltas.Where(d => d.Agent == "billing").Select(d => d.Reason)));
        Assert.Equal("We open at nine.", string.Concat(deltas.Where(d => d.Agent == "coordinator").Select(d => d.Reason)));
        Assert.Equal("call_1", deltas.First(d => d.Agent == "billing").ToolCallId);
    }

    [Fact]
    public async Task ThePipelineCarriesTheProductsLimitsNotTheLibraryDefaults()
    {
        await using var h = new AgentHarness(new ScriptedChatClient(), maxIterations: 5);
        var loop = h.Services.GetRequiredService<AgentChatPipeline>().Client.GetService<FunctionInvokingChatClient>()!;

        Assert.Equal(4, loop.MaximumIterationsPerRequest);
        Assert.Equal(0, loop.MaximumConsecutiveErrorsPerRequest);
    }

    [Fact]
    public async Task AKernelsToolsRunOnlyAsTheCallGovernanceAllowedNeverWhenInvokedAroundTheFilter()
    {
        await using var h = new AgentHarness(BillingOnly(_ => ScriptedChatClient.Say("unused")));
        var tools = await h.Services.GetRequiredService<AgentSuite.Mcp.McpToolCatalog>().GetToolsAsync("billing");
        var factory = new AgentKernelFactory(h.Services.GetRequiredService<AgentChatPipeline>(), []);
        var kernel = factory.Create("billing", tools, new NoGovernance());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.InvokeAsync("billing", "issue_refund", new KernelArguments
        {
            ["invoice_id"] = "INV-1002", ["charge_id"] = "CH-2", ["amount"] = 49m, ["idempotency_key"] = "around",
        }));

        Assert.Contains("runs only as a call the governance filter allowed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Refunds);
        Assert.DoesNotContain(await h.AuditAsync(), e => e.ToolCallId is not null);
    }

    [Fact]
    public async Task ConcurrentRunsOfAgentsWithDifferentToolsEachKeepTheirOwn()
    {
        using var bothAsking = new Barrier(2);
        var model = new ScriptedChatClient()
            .For("billing", m => ScriptedChatClient.ToolResults(m) == 0
                ? Rendezvous(bothAsking, ScriptedChatClient.Call("billing_get_invoice", Json(("invoice_id", "INV-1002")), "call_b"))
                : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
                ? Rendezvous(bothAsking, ScriptedChatClient.Call("billing_get_invoice", Json(("invoice_id", "INV-1002")), "call_c"))
                : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model);

        var billing = Task.Run(() => AskBillingAsync(h, "read INV-1002"));
        var coordinator = Task.Run(() => h.AskAsync("read INV-1002"));
        await Task.WhenAll(billing, coordinator).WaitAsync(Patience);

        Assert.Contains("CH-2", (await billing).Text, StringComparison.Ordinal);
        Assert.Contains("No tool named 'billing_get_invoice' is available to agent 'coordinator'", (await coordinator).Text, StringComparison.Ordinal);
        var audit = await h.AuditAsync();
        Assert.Equal("completed", audit.Last(e => e.ToolCallId == "call_b").Decision);
        Assert.Equal(("billing_get_invoice", "denied"), (audit.Single(e => e.ToolCallId == "call_c").Tool, audit.Single(e => e.ToolCallId == "call_c").Decision));
    }

    private static ChatResponse Rendezvous(Barrier barrier, ChatResponse response)
    {
        barrier.SignalAndWait(Patience);
        return response;
    }

    private sealed class NoGovernance : IAutoFunctionInvocationFilter
    {
        public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next) => next(context);
    }

    private sealed class TerminateAfterFirst : IAutoFunctionInvocationFilter
    {
        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            await next(context);
            context.Terminate = true;
        }
    }

    private sealed class Sink(ConcurrentQueue<GovernanceEvent> events) : IGovernanceEventSink
    {
        public void Publish(GovernanceEvent governanceEvent) => events.Enqueue(governanceEvent);
    }

    private sealed class PromptsFolder : IDisposable
    {
        public PromptsFolder(params (string File, string Yaml)[] files)
        {
            Directory.CreateDirectory(Path);
            foreach (var (file, yaml) in files)
            {
                File.WriteAllText(System.IO.Path.Combine(Path, file), yaml);
            }
        }

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentsuite-prompts", Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
