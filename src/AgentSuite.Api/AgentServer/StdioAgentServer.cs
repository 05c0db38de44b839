using AgentSuite.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Logging.Console;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// <c>--mcp-stdio</c>: the Api serves its agents (<c>AgentServer:Agents</c>) over stdin and stdout to the one program that
/// launched it, as the principal <c>AgentServer:Stdio</c> names, through the same <see cref="AgentCallHandler"/> and tools as
/// <c>/mcp</c>. stdout carries only MCP: every log line goes to stderr. HTTP is served only where a listen address is set
/// explicitly (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, ...), for the page on which a person decides the approvals, and
/// only with keys or tokens (<see cref="StdioHttpRefusal"/>).
/// </summary>
internal static class StdioAgentServer
{
    public const string Flag = "--mcp-stdio";

    /// <summary>
    /// Whether the arguments ask for stdio; the flag is taken out of them, since the command-line configuration would
    /// read it as a key taking the next argument (<c>--urls</c>, say) as its value.
    /// </summary>
    public static bool Take(ref WebApplicationOptions options)
    {
        var args = options.Args ?? [];
        if (!args.Contains(Flag, StringComparer.Ordinal))
        {
            return false;
        }

        options = new WebApplicationOptions
        {
            Args = args.Where(a => !string.Equals(a, Flag, StringComparison.Ordinal)).ToArray(),
            ApplicationName = options.ApplicationName,
            ContentRootPath = options.ContentRootPath,
            EnvironmentName = options.EnvironmentName,
            WebRootPath = options.WebRootPath,
        };
        return true;
    }

    /// <summary>Sends every log line to stderr, and whatever a library writes to <see cref="Console.Out"/> too: the transport writes to the stdout stream itself.</summary>
    public static void KeepStdoutForMcp(WebApplicationBuilder builder)
    {
        Console.SetOut(Console.Error);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.PostConfigure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>Listens only where a setting says; returns that setting, or null when the Api serves no HTTP at all.</summary>
    public static string? ListenOnlyWhereTold(WebApplicationBuilder builder)
    {
        var configuredBy = ListenAddress.ConfiguredBy(builder.Configuration);
        if (configuredBy is null)
        {
            builder.Services.AddSingleton<IServer, NoHttpServer>();
        }

        return configuredBy;
    }

    /// <summary>
    /// Adds the stdio transport, whose every message comes from the configured principal; refuses settings that leave it
    /// nothing to ask, and HTTP (<paramref name="listenConfiguredBy"/>) in local demo mode.
    /// </summary>
    public static StdioCallerOptions AddStdioAgentServer(this IServiceCollection services, IConfiguration configuration, string? listenConfiguredBy)
    {
        var caller = configuration.GetSection(StdioCallerOptions.Section).Get<StdioCallerOptions>() ?? new StdioCallerOptions();
        var served = configuration.GetSection(AgentServerOptions.Section).Get<AgentServerOptions>() ?? new AgentServerOptions();
        var refusals = caller.Refusals(served).ToList();
        if (listenConfiguredBy is not null && StdioHttpRefusal.InDemoMode(configuration))
        {
            refusals.Add(StdioHttpRefusal.Message(listenConfiguredBy));
        }

        if (refusals.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, refusals));
        }

        var user = caller.ToClaimsPrincipal();
        services.AddMcpServer()
            .WithStdioServerTransport()
            .WithMessageFilters(f => f.AddIncomingFilter(next => (context, cancellationToken) =>
            {
                // Over HTTP the transport sets each message's user, authenticated by the endpoint's policy; only stdio leaves it unset.
                context.User ??= user;
                return next(context, cancellationToken);
            }));
        return caller;
    }
}
