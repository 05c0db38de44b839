using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Agents;
using AgentSuite.Agents.Kernels;
using AgentSuite.Agents.Turns;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Governance on the Semantic Kernel path: the overhead benchmark's read-only <see cref="ForecastTool"/> called as an
/// agent calls it. A scripted model asks for the call and then answers, through the product's model pipeline
/// (<see cref="AgentChatPipeline"/>: SK's function invocation over the model), on a kernel per run holding the tool as
/// plugin <c>bench</c> with the run's <see cref="GovernanceFilter"/>, against the same kernels with no filter. The direct
/// calls (bare and through <see cref="GovernedTool"/>) run in the same loop, so both differences see the same noise.
/// A fifth path is the governed kernel inside a durable turn, which checkpoints each step.
/// The five paths are interleaved call by call after a warm-up; allocation is counted per path in a separate batch.
/// </summary>
internal sealed class KernelCallBenchmark(int warmup, int timed, int allocationBatch)
{
    private const string ModelName = ForecastTool.Server + "_get_forecast";
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(2);
    private static readonly PromptExecutionSettings Settings = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    public async Task<KernelCallResult> RunAsync(GovernedToolFixture fixture)
    {
        var services = fixture.Services;
        var governance = services.GetRequiredService<GovernancePipeline>();
        var options = new AgentsOptions();
        var model = new ScriptedToolCallClient(ModelName);
        var pipeline = new AgentChatPipeline(
            model,
            Options.Create(options),
            governance,
            services.GetRequiredService<GovernancePolicyProvider>(),
            services.GetRequiredService<IOptionsMonitor<TelemetryOptions>>());
        // The governed kernels hold the product's function, which runs only as a call the filter allowed; the bare
        // ones the same tool under the same name, as an SK user without governance would register it.
        var function = new KernelToolFunction(fixture.Inner, "get_forecast").AsKernelFunction();
        var bareFunction = new Named(fixture.Inner, "get_forecast").AsKernelFunction();
        var tools = new Dictionary<string, GovernedTool>(StringComparer.Ordinal) { [ModelName] = fixture.Tool };

        // A kernel per run, as the agent runner builds them; the governed ones carry that run's filter.
        var bare = fixture.Runs.Select(_ => KernelWith(pipeline, bareFunction, filter: null)).ToArray();
        var governed = fixture.Runs.Select(run => KernelWith(pipeline, function, new GovernanceFilter(run, tools, governance, options, null, null, CancellationToken.None))).ToArray();
        var durable = new List<Kernel>();
        foreach (var run in fixture.Runs)
        {
            durable.Add(KernelWith(pipeline, function, await DurableFilterAsync(services, run, tools, governance, options)));
        }

        long bareCalls = 0;
        long governedCalls = 0;
        long durableCalls = 0;
        long directGovernedCalls = 0;

        var paths = new Func<ValueTask<object?>>[]
        {
            () => fixture.Inner.InvokeAsync(fixture.NextArguments()),
            () =>
            {
                directGovernedCalls++;
                return fixture.Tool.InvokeAsync(fixture.NextArguments());
            },
            () => AskAsync(pipeline.Completion, bare[bareCalls++ % bare.Length], model),
            () => AskAsync(pipeline.Completion, governed[governedCalls++ % governed.Length], model),
            () => AskAsync(pipeline.Completion, durable[(int)(durableCalls++ % durable.Count)], model),
        };
        var checks = new Action<object?>[] { CheckBare, CheckGoverned, CheckBare, CheckGoverned, CheckGoverned };

        var warmupCalls = 0;
        var warmupTime = Stopwatch.StartNew();
        while (warmupCalls < warmup || warmupTime.Elapsed < MinimumWarmup)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                checks[p](await paths[p]());
            }

            warmupCalls++;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var ticks = paths.Select(_ => new long[timed]).ToArray();
        for (var i = 0; i < timed; i++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var start = Stopwatch.GetTimestamp();
                await paths[p]();
                ticks[p][i] = Stopwatch.GetTimestamp() - start;
            }
        }

        var measurements = new CallMeasurement[paths.Length];
        for (var p = 0; p < paths.Length; p++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < allocationBatch; i++)
            {
                await paths[p]();
            }

            measurements[p] = new CallMeasurement(LatencySummary.From(ticks[p]), (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)allocationBatch);
        }

        // One entry pinned the tool on first use; every governed call, direct or through a kernel, was allowed and completed.
        var audit = await AuditVerifier.VerifyAsync(fixture.Audit);
        return new KernelCallResult(timed, measurements[0], measurements[1], measurements[2], measurements[3], measurements[4], audit, 1 + 2 * (directGovernedCalls + governedCalls + durableCalls));
    }

    /// <summary>
    /// The filter of a run inside a durable turn: a conversation and turn on the fixture's database, and the turn's
    /// journal, so every round records its steps (the model's response, the tool's outcome) as a real turn does.
    /// </summary>
    private static async Task<GovernanceFilter> DurableFilterAsync(IServiceProvider services, AgentRunContext shared, Dictionary<string, GovernedTool> tools, GovernancePipeline governance, AgentsOptions options)
    {
        var now = DateTimeOffset.UtcNow;
        var run = shared with { ConversationId = "conv_" + Guid.NewGuid().ToString("N"), RunId = "run_" + Guid.NewGuid().ToString("N") };
        var turns = services.GetRequiredService<ITurnStore>();
        await services.GetRequiredService<IConversationStore>().CreateAsync(run.ConversationId, run.Principal.Name, run.Principal.Subject, now);
        var record = new TurnRecord(run.ConversationId, run.RunId, run.Principal.Name, TurnStatus.Running, now) { UpdatedAt = now };
        var question = new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "What is the forecast for Oslo?");
        await turns.TryStartAsync(record, new ConversationMessage("user", null, question.Text, now));
        var journal = new TurnJournal(record, new TurnCheckpoint { Coordinator = run.Agent, Principal = run.Principal.Name }, turns, TimeProvider.System, NullLogger.Instance, null);
        var frame = journal.Push(run, [question]);
        return new GovernanceFilter(run, tools, governance, options, journal, frame, CancellationToken.None);
    }

    private static Kernel KernelWith(AgentChatPipeline pipeline, KernelFunction function, IAutoFunctionInvocationFilter? filter)
    {
        var kernel = new Kernel(pipeline.KernelServices, [KernelPluginFactory.CreateFromFunctions(ForecastTool.Server, [function])]);
        if (filter is not null)
        {
            kernel.AutoFunctionInvocationFilters.Add(filter);
        }

        return kernel;
    }

    /// <summary>One tool round: the model asks for the call, the kernel runs it, the model answers; returns the result it read.</summary>
    private static async ValueTask<object?> AskAsync(IChatCompletionService completion, Kernel kernel, ScriptedToolCallClient model)
    {
        var history = new ChatHistory();
        history.AddUserMessage("What is the forecast for Oslo?");
        await completion.GetChatMessageContentsAsync(history, Settings, kernel);
        return model.LastResult;
    }

    private static void CheckBare(object? result)
    {
        if (result is null || Text(result).Contains("tool_result", StringComparison.Ordinal) || !Text(result).Contains("Oslo", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The bare call did not return the forecast: {result}");
        }
    }

    /// <summary>A governed result is the screening envelope; a denial would be {"status":"denied",...} instead.</summary>
    private static void CheckGoverned(object? result)
    {
        if (result is null || !Text(result).Contains("\"tool_result\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The governed call did not complete: {result}");
        }
    }

    private static string Text(object result) => result switch
    {
        string text => text,
        JsonElement json => json.GetRawText(),
        _ => JsonSerializer.Serialize(result),
    };

    private sealed class Named(Microsoft.Extensions.AI.AIFunction inner, string name) : Microsoft.Extensions.AI.DelegatingAIFunction(inner)
    {
        public override string Name => name;
    }
}
