using AgentSuite.Mcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// Binds the <c>Mcp</c> section, validates it at start, and registers the tool catalog and the hosted service that
    /// connects to every server when the app starts. Requires <c>AddGovernance</c>.
    /// </summary>
    public static IServiceCollection AddGovernedMcp(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<McpOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpOptions>, McpOptionsValidator>());
        services.TryAddSingleton<IMcpTransportFactory, McpTransportFactory>();
        services.TryAddSingleton<McpToolCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, McpCatalogStartup>());
        return services;
    }
}
