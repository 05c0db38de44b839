using AgentSuite.Agents.Telemetry;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// The one model pipeline every agent's kernel uses, outermost first:
/// <list type="number">
/// <item>Semantic Kernel's function invocation (<c>UseKernelFunctionInvocation</c>): the tool loop, which runs the
/// kernel's filters (governance) around each call and opens an <c>execute_tool</c> span per call;</item>
/// <item>the <see cref="UnknownCallGuard"/>, which routes calls to names the agent was not offered to governance;</item>
/// <item>the <see cref="ResponseReplayClient"/>, which gives a resumed agent the response its turn stopped in (no model call, no span);</item>
/// <item>the <see cref="TokenBudgetClient"/>, which refuses a model call once the principal has spent its daily token
/// budget and counts what each call used (a replayed response spends nothing, so it sits below the replay);</item>
/// <item>the <see cref="CheckpointFirstClient"/>, which writes a durable turn's latest step before the model is asked about it;</item>
/// <item>Microsoft.Extensions.AI's OpenTelemetry client: one <c>chat {model}</c> span per model call, with the GenAI
/// client metrics. It sits below function invocation, so the loop finds its ActivitySource and tool spans are not lost;</item>
/// <item>the <see cref="ChatSpanEnricher"/> (agent, conversation and, when switched on, redacted content);</item>
/// <item>the provider: the mock model or the OpenAI-compatible client.</item>
/// </list>
/// The loop's limits are the product's (<c>Agents:ToolLoop</c>), not the library defaults.
/// </summary>
public sealed class AgentChatPipeline
{
    public AgentChatPipeline(
        IChatClient provider,
        IOptions<AgentsOptions> options,
        GovernancePipeline governance,
        GovernancePolicyProvider policies,
        IOptionsMonitor<TelemetryOptions> telemetry,
        ILoggerFactory? loggers = null,
        AgentSuite.Governance.Budgets.TokenBudgetService? budgets = null)
    {
        var limits = options.Value.ToolLoop;
        if (limits.MaximumIterationsPerRequest < 2 || limits.MaximumConsecutiveErrorsPerRequest < 1)
        {
            throw new OptionsValidationException(AgentsOptions.SectionName, typeof(ToolLoopOptions), [
                $"Agents:ToolLoop:MaximumIterationsPerRequest must be at least 2 (it is {limits.MaximumIterationsPerRequest}) and Agents:ToolLoop:MaximumConsecutiveErrorsPerRequest at least 1 (it is {limits.MaximumConsecutiveErrorsPerRequest})."]);
        }

        Provider = provider;
        Client = new ChatClientBuilder(provider)
            // No logger factory: at Trace the invoking client would log every call's raw arguments and result, around
            // the redactor and the sensitive-data switch. Governance logs and audits each call itself.
            .UseKernelFunctionInvocation()
            .Use(inner => new UnknownCallGuard(inner, governance))
            .Use(inner => new ResponseReplayClient(inner))
            .Use(inner => budgets is null ? inner : new TokenBudgetClient(inner, budgets))
            //.Use(inner => new CheckpointFirstClient(inner))
            .UseOpenTelemetry(loggers, AppTelemetry.Name, client => client.EnableSensitiveData = false)
            .Use(inner => new ChatSpanEnricher(inner, policies, telemetry))
            .Build();

        var loop = Client.GetService<FunctionInvokingChatClient>()
            ?? throw new InvalidOperationException("The model pipeline has no function-invoking client.");

        // The loop's last model call is made without tools, so N model calls are N - 1 rounds of tool calls.
        loop.MaximumIterationsPerRequest = limits.MaximumIterationsPerRequest - 1;

        // Governance turns a tool's failure into a result the model reads and counts failures itself; anything that still
        // throws out of a call (the filter's own limit, a fork's filter) ends the run at once instead of becoming prose.
        loop.MaximumConsecutiveErrorsPerRequest = 0;
        loop.AdditionalTools = AgentToolScope.AdditionalTools;

        Completion = Client.AsChatCompletionService();
        KernelServices = new ServiceCollection().AddSingleton(Completion).BuildServiceProvider();
    }

    /// <summary>The model itself, under the pipeline.</summary>
    public IChatClient Provider { get; }

    /// <summary>The whole pipeline as an <see cref="IChatClient"/>.</summary>
    public IChatClient Client { get; }

    /// <summary>The pipeline as Semantic Kernel's chat completion service, the one every agent kernel holds.</summary>
    public IChatCompletionService Completion { get; }

    /// <summary>The services every agent kernel is built on.</summary>
    public IServiceProvider KernelServices { get; }
}
