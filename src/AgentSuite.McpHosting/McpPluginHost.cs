using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentSuite.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.McpHosting;

/// <summary>
/// The entry point every plugin's <c>Program.cs</c> calls: stdio by default; <c>--http</c> serves Streamable HTTP at
/// <c>/mcp</c> (ModelContextProtocol.AspNetCore, stateless unless <see cref="McpHttpSessionMode.Key"/> says otherwise) and
/// health checks at <c>/health</c> and <c>/alive</c> (the Api's JSON), where <c>--urls</c> or ASP.NET Core's own settings
/// (<c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, ...) say, else on the plugin's port on 127.0.0.1.
/// Either way the service defaults apply: OpenTelemetry (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set) and resilient outgoing HTTP.
/// </summary>
public static class McpPluginHost
{
    /// <summary>How tool results are written: snake_case, like the tools' argument names.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Runs the plugin until stdin closes (stdio) or the process is stopped (HTTP); returns the exit code.</summary>
    public static async Task<int> RunAsync(string name, string[] args, Action<McpPluginBuilder> configure, int defaultPort)
    {
        McpPluginArguments arguments;
        try
        {
            arguments = McpPluginArguments.Parse(name, args, defaultPort);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        return arguments.Http
            ? await RunHttpAsync(name, arguments, configure)
            : await RunStdioAsync(name, arguments, configure);
    }

    private static async Task<int> RunStdioAsync(string name, McpPluginArguments arguments, Action<McpPluginBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });

        // stdout carries the JSON-RPC messages, so every log line goes to stderr, and telemetry only to OTLP (when configured).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddServiceDefaults();
        configure(new McpPluginBuilder(name, arguments, builder.Services, AddMcp(builder.Services, name).WithStdioServerTransport()));

        using var host = builder.Build();
        if (!await TryOpenDataAsync(host.Services, arguments))
        {
            return 1;
        }

        await host.RunAsync();
        return 0;
    }

    private static async Task<int> RunHttpAsync(string name, McpPluginArguments arguments, Action<McpPluginBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (arguments.Urls is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }
        else
        {
            ListenAddress.ApplyDefault(builder, arguments.DefaultUrls);
        }

        HttpServerSessionMode sessionMode;
        try
        {
            sessionMode = McpHttpSessionMode.Read(builder.Configuration);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck<DataFileHealthCheck>("data");
        var mcp = AddMcp(builder.Services, name).WithHttpTransport(o => o.SessionMode = sessionMode);
        configure(new McpPluginBuilder(name, arguments, builder.Services, mcp));

        await using var app = builder.Build();
        if (!await TryOpenDataAsync(app.Services, arguments))
        {
            return 1;
        }

        app.MapDefaultEndpoints();
        app.MapMcp("/mcp");
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "{Plugin} MCP server on {Urls} at /mcp ({SessionMode}), data in {Data}", name, string.Join(", ", app.Urls), sessionMode, arguments.DataPath));
        await app.RunAsync();
        return 0;
    }

    /// <summary>Opens (and on first start seeds) the data file before serving, so a bad path fails at start with a clear message.</summary>
    private static async Task<bool> TryOpenDataAsync(IServiceProvider services, McpPluginArguments arguments)
    {
        try
        {
            services.GetService<PluginDatabase>();
            return true;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot open the data file {arguments.DataPath}: {e.Message} Pass --data with a writable path.");
            return false;
        }
    }

    private static IMcpServerBuilder AddMcp(IServiceCollection services, string name) =>
        services
            .AddMcpServer(o => o.ServerInfo = new Implementation { Name = name, Version = "1.0.0" })
            .WithRequestFilters(f => f.AddCallToolFilter(ToolArgumentCheck.Filter));
}
