using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents;

/// <summary>The agents defined in the prompts folder, loaded once at start (a broken file stops the app with its name).</summary>
public sealed class AgentCatalog(IOptions<AgentsOptions> options, IHostEnvironment environment)
{
    private readonly Lazy<IReadOnlyDictionary<string, AgentDefinition>> _agents = new(() =>
        AgentDefinitionLoader.LoadFolder(Path.Combine(environment.ContentRootPath, options.Value.PromptsFolder), [.. options.Value.Remote.Keys]));

    /// <summary>The server name hand-offs are governed under (<c>agents/ask_billing</c>).</summary>
    public const string HandOffServer = Kernels.HandOffFunction.Server;

    public IReadOnlyDictionary<string, AgentDefinition> Agents => _agents.Value;

    /// <summary>The governed name (<c>server/tool</c>) of the hand-off to <paramref name="agent"/>.</summary>
    public static string HandOffTool(string agent) => $"{HandOffServer}/{Kernels.HandOffFunction.Plugin}_{agent}";
}
