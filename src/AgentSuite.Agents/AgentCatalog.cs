using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents;

/// <summary>The agents defined in the prompts folder, loaded once at start (a broken file stops the app with its name).</summary>
public sealed class AgentCatalog(IOptions<AgentsOptions> options, IHostEnvironment environment)
{
    private readonly Lazy<IReadOnlyDictionary<string, AgentDefinition>> _agents = new(() =>
        AgentDefinitionLoader.LoadFolder(Path.Combine(environment.ContentRootPath, options.Value.PromptsFolder)));

    public IReadOnlyDictionary<string, AgentDefinition> Agents => _agents.Value;
}
