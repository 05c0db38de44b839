// Thin stand-in for OpenTelemetry.Instrumentation.AspNetCore (which does not restore here): what .NET 10's own request activity lacks.
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.ServiceDefaults;

/// <summary>
/// ASP.NET Core starts a span per request but, by default, with no attributes and the name
/// <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>. This turns on its semantic-convention attributes (method, scheme,
/// path, server), names the span <c>{method} {route}</c> with <c>http.route</c> and <c>http.response.status_code</c>,
/// and leaves health probes (<c>/health</c>, <c>/alive</c>) and what they call untraced, as the Aspire template does.
/// </summary>
internal static class AspNetCoreTracing
{
    private const string RequestSource = "Microsoft.AspNetCore";

    public static void Enable(IServiceCollection services)
    {
        AppContext.SetSwitch("Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData", false);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, StartupFilter>());
    }

    private sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(TraceAsync);
            next(app);
        };
    }

    private static async Task TraceAsync(HttpContext context, RequestDelegate next)
    {
        if (Activity.Current is not { } activity || activity.Source.Name != RequestSource)
        {
            await next(context);
            return;
        }

        if (context.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath) || context.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath))
        {
            // Unrecorded before anything runs, so the checks' own calls (an MCP server listing its tools) are not sampled either.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            var route = Route(context);
            activity.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
            if (route is not null)
            {
                activity.SetTag("http.route", route);
            }

            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
                activity.SetTag("error.type", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The matched route template as <c>/a/{b}</c>: a leading slash, none trailing (a group mapped at <c>""</c> reads <c>/mcp/</c>).</summary>
    private static string? Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw ? "/" + raw.Trim('/') : null;
}
