using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using AgentSuite.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// Builds an agent's <see cref="Kernel"/> for one run: one plugin per MCP server it draws on, holding the tools its
/// allow-list lets it see (plugin <c>billing</c>, function <c>get_invoice</c>: the model reads <c>billing_get_invoice</c>),
/// a plugin <c>ask</c> of its hand-offs (<c>ask_billing</c>), the pipeline's chat completion service, and the governance
/// filter for this run. The plugins hold the tools themselves: the filter is the one place that governs them.
/// </summary>
internal sealed class AgentKernelFactory(AgentChatPipeline pipeline, IEnumerable<IAutoFunctionInvocationFilter> filters)
{
    // A fork's own filters (registered in the app's services) run inside governance, never around it: governance is
    // first, so nothing before it can skip a call's audit or run it ungoverned.
    private readonly IAutoFunctionInvocationFilter[] _filters = [.. filters];

    // A kernel function per tool, built once per discovered tool (a refreshed tool list brings new ones), and the
    // plugins of each set of offered tools, so a run builds only its kernel and filter.
    private readonly ConditionalWeakTable<GovernedTool, KernelFunction> _functions = new();
    private readonly ConditionalWeakTable<GovernedTool, KernelFunction> _withheld = new();
    private readonly ConcurrentDictionary<string, OfferedPlugins> _plugins = new(StringComparer.Ordinal);

    public Kernel Create(string agent, IReadOnlyList<GovernedTool> offered, IAutoFunctionInvocationFilter governance)
    {
        if (!_plugins.TryGetValue(agent, out var cached) || !cached.Tools.SequenceEqual(offered, ReferenceEqualityComparer.Instance))
        {
            cached = new OfferedPlugins([.. offered], [.. offered.GroupBy(PluginName, StringComparer.Ordinal).Select(g => KernelPluginFactory.CreateFromFunctions(g.Key, g.Select(FunctionFor)))]);
            _plugins[agent] = cached;
        }

        var kernel = new Kernel(pipeline.KernelServices, new KernelPluginCollection(cached.Plugins));
        kernel.AutoFunctionInvocationFilters.Add(governance);
        foreach (var filter in _filters)
        {
            kernel.AutoFunctionInvocationFilters.Add(filter);
        }

        return kernel;
    }

    /// <summary>The function a withheld tool would be, named as the model would name it, for the filter to deny.</summary>
    public KernelFunction Withheld(GovernedTool tool) => _withheld.GetValue(tool, t => FunctionFor(t).Clone(PluginName(t)));

    private KernelFunction FunctionFor(GovernedTool tool) =>
        _functions.GetValue(tool, static t => new KernelToolFunction(t.Inner, FunctionName(t)).AsKernelFunction());

    private sealed record OfferedPlugins(GovernedTool[] Tools, KernelPlugin[] Plugins);

    private static string PluginName(GovernedTool tool) =>
        HandOffFunction.Target(tool) is null ? McpToolNames.Plugin(tool.Descriptor.Identity.Server) : HandOffFunction.Plugin;

    private static string FunctionName(GovernedTool tool)
    {
        if (HandOffFunction.Target(tool) is { } agent)
        {
            return agent;
        }

        var plugin = McpToolNames.Plugin(tool.Descriptor.Identity.Server);
        var model = tool.Name;
        return model.StartsWith(plugin + "_", StringComparison.Ordinal) && model.Length > plugin.Length + 1
            ? model[(plugin.Length + 1)..]
            : throw new InvalidOperationException($"The MCP server name '{tool.Descriptor.Identity.Server}' is too long to name its tools for a model; shorten it under Mcp:Servers.");
    }
}
