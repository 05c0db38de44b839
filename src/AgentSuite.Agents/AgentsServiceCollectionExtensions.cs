using AgentSuite.Agents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the agents from the prompts folder, the model pipeline their Semantic Kernel kernels share, and the runner. Needs an <c>IChatClient</c> (the mock model or a
    /// real one), <c>AddGovernance</c> and <c>AddGovernedMcp</c>.
    /// </summary>
    public static IServiceCollection AddGovernedAgents(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<AgentsOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<AgentsOptions>, AgentSuite.Agents.Remote.RemoteAgentsOptionsValidator>());
        services.TryAddSingleton<AgentSuite.Agents.Remote.RemoteAgents>();
        services.TryAddSingleton<AgentCatalog>();
        services.TryAddSingleton<AgentSuite.Agents.Kernels.AgentChatPipeline>();
        services.TryAddSingleton<AgentRunner>();
        services.TryAddSingleton<ConversationService>();
        return services;
    }
}
