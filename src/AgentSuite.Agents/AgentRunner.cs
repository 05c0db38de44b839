using System.Collections.Concurrent;
using AgentSuite.Agents.Kernels;
using AgentSuite.Agents.Remote;
using AgentSuite.Agents.Telemetry;
using AgentSuite.Agents.Turns;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using AgentSuite.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Agents;

/// <summary>
/// Runs one agent as a Semantic Kernel agent: a <see cref="ChatCompletionAgent"/> on a kernel built for this run (its
/// servers' tools and its hand-offs as plugins, minus what its allow-list forbids, and the governance filter), streamed
/// so a person watching sees the answer as it is written. Each run is an <c>invoke_agent {name}</c> span; a specialist's
/// is a child of the hand-off's <c>execute_tool</c> span.
/// </summary>
public sealed class AgentRunner
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key naming the agent a model request is for (never sent to a model).</summary>
    public const string AgentPropertyKey = "agentsuite.agent";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key carrying the conversation id (never sent to a model; recordings use it).</summary>
    public const string ConversationPropertyKey = "agentsuite.conversation";

    private readonly IReadOnlyDictionary<string, AgentDefinition> _agents;
    private readonly McpToolCatalog _mcp;
    private readonly GovernedToolFactory _tools;
    private readonly GovernancePipeline _governance;
    private readonly AgentKernelFactory _kernels;
    private readonly AgentsOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentTelemetry _telemetry;
    private readonly ConcurrentDictionary<string, GovernedTool> _handOffs = new(StringComparer.Ordinal);
    private readonly RemoteAgents? _remotes;

    public AgentRunner(
        AgentChatPipeline pipeline,
        AgentCatalog agents,
        McpToolCatalog mcp,
        GovernedToolFactory tools,
        GovernancePipeline governance,
        IOptions<AgentsOptions> options,
        TimeProvider time,
        GovernancePolicyProvider policies,
        IOptionsMonitor<TelemetryOptions> telemetry,
        IEnumerable<IAutoFunctionInvocationFilter> filters,
        RemoteAgents? remotes = null)
    {
        _remotes = remotes;
        _agents = agents.Agents;
        _mcp = mcp;
        _tools = tools;
        _governance = governance;
        _kernels = new AgentKernelFactory(pipeline, filters);
        _options = options.Value;
        _time = time;
        _telemetry = new AgentTelemetry(pipeline.Provider, policies, telemetry);
    }

    public async Task<AgentRunResult> RunAsync(string agentName, AgentRunContext run, IEnumerable<ChatMessage> conversation, CancellationToken cancellationToken = default)
    {
        var definition = _agents.TryGetValue(agentName, out var found)
            ? found
            : throw new KeyNotFoundException($"No agent named '{agentName}' is defined in the prompts folder.");
        var settings = Settings(definition, run);
        using var activity = _telemetry.StartInvokeAgent(definition, run, settings.ModelId);
        AgentFrame? frame = null;
        try
        {
            run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.AgentStarted, definition.Name, null, run.ParentToolCallId, _time.GetUtcNow()));
            var all = await AllToolsOfAsync(definition, cancellationToken);
            var offered = _tools.VisibleTo(definition.Name, all);
            var byModelName = ByModelName(definition, all);

            // In a durable turn the agent has a frame in its checkpoint; a resumed agent starts from its saved one.
            var journal = TurnJournal.Current;
            frame = journal?.Push(run, conversation);
            var filter = new GovernanceFilter(run, byModelName, _governance, _options, journal, frame, cancellationToken);
            var agent = new ChatCompletionAgent
            {
                Name = definition.Name,
                Description = definition.Description,
                Instructions = definition.Template,
                Template = definition.PromptTemplate,
                Kernel = _kernels.Create(definition.Name, offered, filter),
                Arguments = AgentInstructions.For(run, _time.GetUtcNow(), settings),
            };

            var history = new ChatHistory((frame?.History ?? conversation).Select(KernelMessages.ToKernel));
            var before = history.Count;
            if (_telemetry.RecordsContent(activity))
            {
                // The instructions as the model reads them; rendered again only when content is recorded.
                var instructions = definition.PromptTemplate is { } template ? await template.RenderAsync(new Kernel(), agent.Arguments, cancellationToken) : definition.Template;
                _telemetry.AgentInput(activity, instructions, history);
            }

            using var scope = AgentToolScope.Enter(new AgentToolScope(run, all.Except(offered).Select(_kernels.Withheld)));
            using var ambient = AgentRunContext.Enter(run);
            using var replay = ResponseReplayClient.Enter(frame?.Replay);
            var usage = new UsageDetails();
            var pendingCalls = false;
            var modelCalls = 1;
            await foreach (var update in agent.InvokeStreamingAsync(history, cancellationToken: cancellationToken))
            {
                if (update.Role == AuthorRole.Tool && pendingCalls)
                {
                    modelCalls++;
                }

                pendingCalls = update.Role == AuthorRole.Tool ? false : pendingCalls || update.Items.OfType<StreamingFunctionCallUpdateContent>().Any();
                if (update.Metadata?.TryGetValue("Usage", out var value) == true && value is UsageContent reported)
                {
                    usage.Add(reported.Details);
                }

                if (run.Events is { } events && update.Role != AuthorRole.Tool && update.Content is { Length: > 0 } delta)
                {
                    events.Publish(new GovernanceEvent(GovernanceEventTypes.MessageDelta, definition.Name, null, run.ParentToolCallId, _time.GetUtcNow()) { Reason = delta });
                }
            }

            // The loop's last model call has no tools; a model that still asks for one has used up the run.
            if (pendingCalls && modelCalls >= _options.ToolLoop.MaximumIterationsPerRequest)
            {
                throw new AgentRunException($"Agent '{definition.Name}' used all {_options.ToolLoop.MaximumIterationsPerRequest} model calls of its run (Agents:ToolLoop:MaximumIterationsPerRequest) and still asked for tools instead of answering.");
            }

            var result = new AgentRunResult(history[^1].Content ?? "", history.Skip(before).ToList(), usage);
            run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.MessageCompleted, definition.Name, null, run.ParentToolCallId, _time.GetUtcNow()) { Reason = result.Text });
            _telemetry.AgentCompleted(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            _telemetry.Failed(activity, ex);
            throw;
        }
        finally
        {
            // A run the host is stopping keeps its frame: the turn's checkpoint must still hold it, to resume it.
            if (frame is not null && !cancellationToken.IsCancellationRequested)
            {
                TurnJournal.Current?.Pop(frame);
            }
        }
    }

    // Two tools that reach the model under one name (get-invoice and get_invoice; SK's names ignore case) cannot both be
    // offered: the turn fails saying which, rather than the model calling one when it meant the other.
    private static Dictionary<string, GovernedTool> ByModelName(AgentDefinition agent, List<GovernedTool> tools)
    {
        var byName = new Dictionary<string, GovernedTool>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in tools)
        {
            // The governed tool's model name is its plugin and function names joined as SK joins them.
            var name = tool.Name;
            if (!byName.TryAdd(name, tool))
            {
                throw new AgentRunException($"Agent '{agent.Name}' has two tools that reach the model as '{name}': {byName[name].Descriptor.Identity.Key} and {tool.Descriptor.Identity.Key}. Rename one (Semantic Kernel's names use letters, digits and '_' and ignore case).");
            }
        }

        return byName;
    }

    private async Task<List<GovernedTool>> AllToolsOfAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        var all = new List<GovernedTool>(await _mcp.GetToolsAsync(agent.Servers, cancellationToken));
        foreach (var target in agent.HandOffs)
        {
            // A remote specialist is described by its own server, asked once and remembered; one that cannot be reached
            // is offered with a plain description, not remembered, and its hand-off fails saying why.
            if (_remotes?.Get(target) is { } remote)
            {
                var (definition, unreachable) = await remote.DescribeOrFallbackAsync(cancellationToken);
                all.Add(unreachable is null ? HandOff(target, definition, remote) : CreateHandOff(definition, remote, unreachable));
            }
            else
            {
                all.Add(HandOff(target, _agents[target], null));
            }
        }

        return all;
    }

    private GovernedTool HandOff(string target, AgentDefinition definition, RemoteAgent? remote) => _handOffs.GetOrAdd(target, _ => CreateHandOff(definition, remote));

    private GovernedTool CreateHandOff(AgentDefinition definition, RemoteAgent? remote, string? provisional = null)
    {
        var function = new HandOffFunction(this, definition, remote);

        // A hand-off may lead to actions, so it is not read-only (retries replay the specialist's answer), but it is
        // not itself destructive: the specialist's own calls carry their own annotations and approval rules.
        // A stand-in description (the remote could not be read) is denied before pinning, so the real one is what gets pinned.
        return _tools.Create(function, new ToolDescriptor(new ToolIdentity(HandOffFunction.Server, function.Name), new ToolAnnotations(ReadOnlyHint: false, DestructiveHint: false), function.Name) { Provisional = provisional });
    }

    // execution_settings become SK's PromptExecutionSettings: known keys reach ChatOptions, the rest its
    // AdditionalProperties (the provider sends those too); the agentsuite.* keys tell the model server and recordings
    // which agent and conversation a request is for, and are never sent. Tools are chosen automatically and run by SK.
    private static PromptExecutionSettings Settings(AgentDefinition agent, AgentRunContext run)
    {
        var extension = new Dictionary<string, object>(StringComparer.Ordinal);
        string? model = null;
        foreach (var (key, value) in agent.ExecutionSettings)
        {
            if (key == "model_id")
            {
                model = value as string;
            }
            else if (value is not null)
            {
                extension[key] = value;
            }
        }

        extension[AgentPropertyKey] = agent.Name;
        extension[ConversationPropertyKey] = run.ConversationId;
        return new PromptExecutionSettings
        {
            ModelId = model,
            ExtensionData = extension,
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
        };
    }
}
