using AgentSuite.Agents;
using AgentSuite.Api.Auth;
using AgentSuite.McpHosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.Api.AgentServer;

/// <summary>Serves the agents named in <c>AgentServer:Agents</c> over MCP (Streamable HTTP) at <see cref="Path"/>, behind the Api's authentication.</summary>
internal static class AgentServerExtensions
{
    public const string Path = "/mcp";

    /// <summary>Registers the served agents; returns false, registering nothing, when none are configured.</summary>
    public static bool AddAgentServer(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AgentServerOptions.Section);
        services.AddOptions<AgentServerOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentServerOptions>, AgentServerOptionsValidator>();
        var served = section.GetSection(nameof(AgentServerOptions.Agents)).GetChildren().Select(c => c.Key).ToList();
        if (served.Count == 0)
        {
            return false;
        }

        services.AddSingleton<AgentCallHandler>();
        services.AddSingleton<DelegatedCaller>();
        services.AddSingleton<FrontDoorGate>();
        services.AddHttpContextAccessor();
        foreach (var agent in served)
        {
            // Built once the prompts are loaded; an agent that is not defined stops the start (the validator says which).
            services.AddSingleton<McpServerTool>(sp => new AskAgentTool(
                sp.GetRequiredService<AgentCatalog>().Agents.TryGetValue(agent, out var definition) ? definition : new AgentDefinition(agent, "", "-"),
                sp.GetRequiredService<IOptions<AgentServerOptions>>().Value.MaxWaitSeconds));
        }

        services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "agentsuite-agents", Version = "1.0.0" })
            .WithHttpTransport()
            .WithRequestFilters(f => f
                .AddCallToolFilter(ToolArgumentCheck.Filter)
                .AddListToolsFilter(next => async (request, cancellationToken) =>
                {
                    // A caller sees only the agents it may ask.
                    var result = await next(request, cancellationToken);
                    var options = request.Services!.GetRequiredService<IOptions<AgentServerOptions>>().Value;
                    var caller = request.User!.ToPrincipal();
                    result.Tools = result.Tools
                        .Where(t => !t.Name.StartsWith(AskAgentTool.Prefix, StringComparison.Ordinal)
                            || (options.Agents.TryGetValue(t.Name[AskAgentTool.Prefix.Length..], out var agent) && agent.Admits(caller)))
                        .ToList();
                    return result;
                }));
        return true;
    }

    /// <summary>Maps the endpoint; a caller needs one of the roles some served agent admits (401 without a key, 403 without the role).</summary>
    public static void MapAgentServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AgentServerOptions>>().Value;
        var roles = options.Agents.Values.SelectMany(a => a.Roles).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        app.MapMcp(Path)
            .RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles), AuthenticationSchemes = CallerAuthentication.SchemeName })
            .WithMetadata(new RequiresRoleMetadata(roles))
            .ExcludeFromDescription();
    }
}
