using System.Text.Json.Serialization;
using AgentSuite.Api.AgentServer;
using AgentSuite.Api.Approvals;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Api.Endpoints;
using AgentSuite.Api.Health;
using AgentSuite.Api.Status;
using AgentSuite.Governance;
using AgentSuite.Mcp.ToolServers;
using AgentSuite.Models;
using AgentSuite.ServiceDefaults;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api;

/// <summary>
/// Builds the Api: the service defaults (telemetry, health endpoints, resilient outgoing HTTP), the services of every
/// layer, identity, the endpoints of the HTTP contract (docs/api.md) and its OpenAPI document, and the web page.
/// <see cref="Build"/> is what <c>Program</c> runs and what the tests start on a real port. With <c>--mcp-stdio</c> among
/// the arguments the same Api serves its agents over stdio (<see cref="StdioAgentServer"/>).
/// </summary>
public static class ApiApplication
{
    /// <summary>Where the Api listens when no ASP.NET Core setting says (<see cref="ListenAddress"/>): loopback, since an Api without keys runs in demo mode.</summary>
    public const string DefaultListenAddress = "http://127.0.0.1:5080";

    private const string McpHttpClient = "mcp";

    public static WebApplication Build(string[] args) => Build(new WebApplicationOptions { Args = args });

    /// <summary>Builds the Api with explicit host options (a content root, say) and a last word on the configuration.</summary>
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var stdio = StdioAgentServer.Take(ref options);
        var builder = WebApplication.CreateBuilder(options);

        // The one list of tool servers, below every other source: appsettings and ToolServers__NAME__... override it.
        // Inserting loads it at once, so a file that is not valid JSON is refused here with its path and the parser's message.
        try
        {
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                Path = ToolServerList.FileName,
                Optional = true,
            });
        }
        catch (InvalidDataException e)
        {
            throw ToolServerList.Unreadable(EmbeddedPlugins.ListPath, e);
        }

        if (stdio)
        {
            StdioAgentServer.KeepStdoutForMcp(builder);
        }

        configure?.Invoke(builder);
        var listenConfiguredBy = stdio ? StdioAgentServer.ListenOnlyWhereTold(builder) : ListenAddress.ApplyDefault(builder, DefaultListenAddress);
        builder.AddServiceDefaults();
        var configuration = builder.Configuration;

        var dataFolder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, configuration["AgentSuite:DataFolder"] is { Length: > 0 } d ? d : "data"));
        Directory.CreateDirectory(dataFolder);
        var embeddedPlugins = !configuration.GetSection("Mcp:Servers").GetChildren().Any();
        var toolServers = embeddedPlugins ? EmbeddedPlugins.Read(configuration) : [];
        if (embeddedPlugins)
        {
            configuration.AddInMemoryCollection(EmbeddedPlugins.Settings(toolServers, dataFolder));
        }

        ModelSettings.RequireKnownProvider(configuration);

        var services = builder.Services;
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection("AgentSuite"));
        services.AddCallerAuthentication(configuration, builder.Environment);
        services.AddAuthorization();
        services.AddAlwaysProblemDetails();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        services.AddApiDocumentation();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        services.AddGovernance(configuration.GetSection("Governance"));
        services.AddApprovalNotifications(configuration);

        // Before the other hosted services: the chain is checked against its anchor before anything appends.
        StorageSettings.AddGovernanceStores(services, configuration, dataFolder);
        services.AddGovernedMcp(configuration.GetSection("Mcp"));

        // HTTP MCP servers through the standard resilience handler with its timeouts off: Mcp:CallTimeout, not an HTTP
        // timeout, bounds a call, so a long tool call or the session's event stream is not cut off. A connection that could
        // not be made is retried within a second or two (a plugin restarting); a tool call that reached the server never is.
        services.AddHttpClient(McpHttpClient).AddUntimedResilienceHandler(configuration)
            .Configure(o => o.Retry.Delay = TimeSpan.FromMilliseconds(250));
        services.AddSingleton<Func<string, HttpClient>>(sp => _ => sp.GetRequiredService<IHttpClientFactory>().CreateClient(McpHttpClient));
        services.AddGovernedAgents(configuration.GetSection("Agents"));
        ModelDescription model;
        if (ModelSettings.IsOpenAI(configuration))
        {
            var openAI = ModelSettings.OpenAI(configuration);

            // The SDK's own HttpClient, not an IHttpClientFactory one: its retry policy is the only one, with no resilience handler under it.
            services.AddSingleton<IChatClient>(new OpenAIChatClient(openAI));
            model = ModelDescription.ForOpenAI(openAI.Model, openAI.Endpoint);
        }
        else if (configuration["Model:Script"] is { Length: > 0 } script)
        {
            services.AddMockChatClient(Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, script)), ModelSettings.CallIds(configuration));
            model = new ModelDescription(ModelDescription.Mock, script, Endpoint: null);
        }
        else
        {
            services.AddMockChatClient(MockScript.DemoPath, ModelSettings.CallIds(configuration));
            model = new ModelDescription(ModelDescription.Mock, ModelDescription.DemoScript, Endpoint: null);
        }

        services.AddSingleton(model);
        var modelDescription = model.ToString();

        // Recording mode: every model exchange of a conversation to RecordTo/{conversation}.jsonl, secrets removed;
        // replayed with Model:Script=that file (docs/mock-model.md).
        if (configuration["Model:RecordTo"] is { Length: > 0 } recordTo)
        {
            var folder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, recordTo));
            services.AddModelRecording(folder, ModelSettings.Secrets(configuration));
            modelDescription += $", recording every exchange to {folder}";
        }

        var servesAgents = services.AddAgentServer(configuration);
        var stdioCaller = stdio ? services.AddStdioAgentServer(configuration, listenConfiguredBy) : null;
        services.AddSingleton<AgentSuite.Api.Endpoints.KillSwitchScopes>();
        services.AddSingleton<AgentSuite.Api.Turns.LiveTurns>();
        services.AddHostedService<AgentSuite.Api.Turns.TurnResumer>();
        services.AddSingleton<McpServerMonitor>();
        services.AddSingleton<MetricsReportCache>();
        services.AddHostedService(sp => sp.GetRequiredService<McpServerMonitor>());
        services.AddHealthChecks()
            .AddCheck<AuditStoreHealthCheck>("audit")
            .AddCheck<McpServersHealthCheck>("mcp");

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseJsonRequestBodies();

        app.MapGet("/api/me", (HttpContext http, IOptionsMonitor<ApiKeyOptions> keys) =>
            {
                var me = http.User.ToPrincipal();
                return TypedResults.Ok(new CallerView(me.Name, me.Roles.Order(StringComparer.Ordinal).ToList(), keys.CurrentValue.DemoMode));
            })
            // Any role: an admin-only or approver-only key signs in to the page too, which then offers what it may do.
            .RequireRole(Roles.User, Roles.Approver, Roles.Admin)
            .WithTags("Identity")
            .WithSummary("Who the Api takes the caller to be")
            .ProducesCallerProblems();
        app.MapConversationEndpoints();
        app.MapApprovalEndpoints();
        app.MapAuditEndpoints();
        app.MapGovernanceEndpoints();
        app.MapStatusEndpoints();
        app.MapMetricsEndpoints();
        if (servesAgents)
        {
            app.MapAgentServer();
        }

        app.MapDefaultEndpoints();
        app.MapApiDocumentation();

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentSuite.Api");
        var servesHttp = stdioCaller is null || listenConfiguredBy is not null;
        if (servesHttp && app.Services.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue.DemoMode)
        {
            log.LogWarning("No API keys (Auth:Keys) and no bearer tokens (Auth:Jwt) are configured, so the Api runs in local demo mode: callers name themselves with the X-User header and hold every role. Do not expose it beyond this machine.");
        }

        if (stdioCaller is not null)
        {
            log.LogInformation(
                "Serving the agents over stdio to {Principal} ({Roles}); {Http}",
                stdioCaller.Principal,
                string.Join(", ", stdioCaller.Roles),
                listenConfiguredBy is null ? "no HTTP (--urls or ASPNETCORE_URLS, with Auth:Keys or Auth:Jwt, serves the page, where approvals are decided, beside it)" : $"HTTP as {listenConfiguredBy} says");
        }

        if (servesHttp)
        {
            app.Lifetime.ApplicationStarted.Register(() => log.LogInformation(
                "Listening on {Urls} ({Source})",
                string.Join(", ", app.Urls),
                listenConfiguredBy is null ? "the default; --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or Kestrel:Endpoints set another" : $"set by {listenConfiguredBy}"));
        }
        log.LogInformation("Data folder {DataFolder}; model: {Model}; MCP servers: {Servers}", dataFolder, modelDescription, embeddedPlugins ? EmbeddedPlugins.Describe(toolServers) : $"{string.Join(", ", configuration.GetSection("Mcp:Servers").GetChildren().Select(s => s.Key))} from Mcp:Servers");
        if (embeddedPlugins)
        {
            EmbeddedPlugins.WarnIfPerInstance(configuration, toolServers, log);
        }

        var policy = app.Services.GetRequiredService<AgentSuite.Governance.Configuration.GovernancePolicyProvider>().Version;
        log.LogInformation("Governance policy {PolicyVersion} in force since {LoadedAt:O}", policy.Version, policy.LoadedAt);
        return app;
    }
}
