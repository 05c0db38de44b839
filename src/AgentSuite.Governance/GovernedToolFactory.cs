using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>Wraps functions as governed tools, and picks the ones an agent's allow-list lets the model see.</summary>
public sealed class GovernedToolFactory(GovernancePipeline pipeline, GovernancePolicyProvider policies)
{
    public GovernedTool Create(AIFunction function, ToolDescriptor descriptor) => new(function, descriptor, pipeline);

    public GovernedTool Create(AIFunction function, string server, ToolAnnotations? annotations = null, string? modelName = null) =>
        new(function, new ToolDescriptor(new ToolIdentity(server, function.Name), annotations ?? ToolAnnotations.None, modelName), pipeline);

    /// <summary>
    /// The tools to offer <paramref name="agent"/>'s model: only those its allow-list permits now, so a model is never
    /// shown a tool it may not call. The allow-list is still checked again on every call.
    /// </summary>
    public IReadOnlyList<GovernedTool> VisibleTo(string agent, IEnumerable<GovernedTool> tools)
    {
        var policy = policies.Current;
        return tools.Where(t => policy.IsAllowed(agent, t.Descriptor.Identity.Key)).ToList();
    }
}
