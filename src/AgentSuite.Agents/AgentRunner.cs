using System.Collections.Concurrent;
using AgentSuite.Agents.Telemetry;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using AgentSuite.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents;

/// <summary>
/// Runs one agent: its instructions, the conversation it is given, and the tools its servers and hand-offs provide,
/// filtered by its allow-list so the model only sees what it may call. Every tool call goes through governance.
/// Each run is an <c>invoke_agent {name}</c> span; a specialist's is a child of the hand-off's <c>execute_tool</c> span.
/// </summary>
public sealed class AgentRunner
{
    private readonly IChatClient _chat;
    private readonly IReadOnlyDictionary<string, AgentDefinition> _agents;
    private readonly McpToolCatalog _mcp;
    private readonly GovernedToolFactory _tools;
    private readonly ToolLoop _loop;
    private readonly TimeProvider _time;
    private readonly AgentTelemetry _telemetry;
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key naming the agent a model request is for (never sent to a model).</summary>
    public const string AgentPropertyKey = "agentsuite.agent";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key carrying the conversation id (never sent to a model; recordings use it).</summary>
    public const string ConversationPropertyKey = "agentsuite.conversation";

    private readonly ConcurrentDictionary<string, GovernedTool> _handOffs = new(StringComparer.Ordinal);

    public AgentRunner(
        IChatClient chat,
        AgentCatalog agents,
        McpToolCatalog mcp,
        GovernedToolFactory tools,
        GovernancePipeline pipeline,
        IOptions<AgentsOptions> options,
        TimeProvider time,
        GovernancePolicyProvider policies,
        IOptionsMonitor<TelemetryOptions> telemetry)
    {
        _chat = chat;
        _agents = agents.Agents;
        _mcp = mcp;
        _tools = tools;
        _telemetry = new AgentTelemetry(chat, policies, telemetry);
        _loop = new ToolLoop(pipeline, options.Value.ToolLoop, _telemetry);
        _time = time;
    }

    public async Task<AgentRunResult> RunAsync(string agentName, AgentRunContext run, IEnumerable<ChatMessage> conversation, CancellationToken cancellationToken = default)
    {
        var agent = _agents.TryGetValue(agentName, out var found)
            ? found
            : throw new KeyNotFoundException($"No agent named '{agentName}' is defined in the prompts folder.");
        var options = Options(agent);
        options.AdditionalProperties![ConversationPropertyKey] = run.ConversationId;
        using var activity = _telemetry.StartInvokeAgent(agent, run, options);
        try
        {
            run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.AgentStarted, agent.Name, null, run.ParentToolCallId, _time.GetUtcNow()));

            var all = await AllToolsOfAsync(agent, cancellationToken);
            var offered = _tools.VisibleTo(agent.Name, all);
            var withheld = all.Except(offered).ToList();
            // The system prompt carries the agent's name (OpenAI's participant name): a model server that serves several
            // agents, such as the mock model over HTTP, can tell them apart.
            var messages = new List<ChatMessage> { new(ChatRole.System, agent.Template) { AuthorName = agent.Name } };
            messages.AddRange(conversation);
            _telemetry.AgentInput(activity, agent, messages);
            var result = await _loop.RunAsync(_chat, options, run, messages, new ToolSet(offered, withheld), cancellationToken);

            run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.MessageCompleted, agent.Name, null, run.ParentToolCallId, _time.GetUtcNow()) { Reason = result.Text });
            _telemetry.AgentCompleted(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            _telemetry.Failed(activity, ex);
            throw;
        }
    }

    /// <summary>The tools <paramref name="agent"/>'s model is offered: its servers' tools and its hand-offs, minus what its allow-list forbids.</summary>
    public async Task<IReadOnlyList<GovernedTool>> ToolsForAsync(AgentDefinition agent, CancellationToken cancellationToken = default) =>
        _tools.VisibleTo(agent.Name, await AllToolsOfAsync(agent, cancellationToken));

    private async Task<List<GovernedTool>> AllToolsOfAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        var all = new List<GovernedTool>(await _mcp.GetToolsAsync(agent.Servers, cancellationToken));
        all.AddRange(agent.HandOffs.Select(HandOff));
        return all;
    }

    private GovernedTool HandOff(string target) => _handOffs.GetOrAdd(target, name =>
    {
        var tool = new HandOffTool(this, _agents[name]);

        // A hand-off may lead to actions, so it is not read-only (retries replay the specialist's answer), but it is
        // not itself destructive: the specialist's own calls carry their own annotations and approval rules.
        return _tools.Create(tool, new ToolDescriptor(new ToolIdentity(HandOffTool.Server, tool.Name), new ToolAnnotations(ReadOnlyHint: false, DestructiveHint: false), tool.Name));
    });

    private static ChatOptions Options(AgentDefinition agent)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [AgentPropertyKey] = agent.Name } };
        foreach (var (key, value) in agent.ExecutionSettings)
        {
            switch (key)
            {
                case "temperature" when value is double or long:
                    options.Temperature = Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "max_tokens" when value is long max:
                    options.MaxOutputTokens = (int)max;
                    break;
                case "model_id" when value is string model:
                    options.ModelId = model;
                    break;
                default:
                    options.AdditionalProperties[key] = value;
                    break;
            }
        }

        return options;
    }
}
