using AgentSuite.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every AgentSuite process shares, in the shape of the Aspire service-defaults template: OpenTelemetry traces,
/// metrics and logs, health checks with their endpoints, and standard resilience and service discovery for outgoing
/// HTTP. A process calls <see cref="AddServiceDefaults{TBuilder}"/> on its builder and, if it serves HTTP,
/// <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The tag that puts a health check in <c>/alive</c>: checks that say the process itself answers.</summary>
    public const string LiveTag = "live";

    /// <summary>AgentSuite's own activity sources (agents, governance, MCP: the GenAI spans) and the MCP SDK's.</summary>
    public static IReadOnlyList<string> ActivitySources { get; } = ["AgentSuite", "AgentSuite.*", "Experimental.ModelContextProtocol"];

    /// <summary>AgentSuite's meters and the MCP SDK's; the instrumentation packages add ASP.NET Core's, HttpClient's and the runtime's.</summary>
    public static IReadOnlyList<string> Meters { get; } = ["AgentSuite", "AgentSuite.*", "Experimental.ModelContextProtocol"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddConfiguredResilienceHandler(builder.Configuration);
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs through the OpenTelemetry SDK. The OTLP exporter is on only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the exporter and the SDK read the other <c>OTEL_*</c> variables
    /// (protocol, headers, service name, resource attributes, batch delays) from the configuration themselves.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // The exporter's own HTTP calls (IHttpClientFactory clients OtlpTraceExporter, ...) are not the app's traffic.
        builder.Logging.AddFilter("System.Net.Http.HttpClient.Otlp", LogLevel.Warning);

        var applicationName = builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()

            // The application name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES (detected after it, so they win) name the service.
            .ConfigureResource(resource => resource.Clear().AddService(applicationName).AddTelemetrySdk().AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. Meters]))
            .WithTracing(tracing => tracing
                .AddSource([.. ActivitySources])

                // Probes are untraced, and so is what they call (an MCP server listing its tools): the filter unsamples the request.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsHealthProbe(http.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>A <c>self</c> check tagged <c>live</c>: the process answers. Add readiness checks (stores, dependencies) beside it.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy("The process answers."), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> runs every check (readiness); <c>/alive</c> only those tagged <c>live</c> (liveness). Both answer
    /// 200 when healthy or degraded and 503 when unhealthy, with a JSON body naming each check's status and description.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = HealthResponse.WriteAsync });
        return app;
    }

    private static bool IsHealthProbe(PathString path) => path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
