// Thin stand-in for OpenTelemetry.Extensions.Hosting (which does not restore here): the SDK's providers live in the host's services and start and stop with it.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AgentSuite.ServiceDefaults;

public static class OpenTelemetryHosting
{
    /// <summary>
    /// The builder that <c>WithTracing</c>, <c>WithMetrics</c>, <c>WithLogging</c>, <c>ConfigureResource</c> and
    /// <c>UseOtlpExporter</c> (all in the SDK and exporter packages) extend. Those register the providers as singletons
    /// in <paramref name="services"/>; a hosted service builds them when the host starts, so every listener is in place
    /// before the first request, and disposing the host's services shuts them down, which exports what is still batched.
    /// </summary>
    public static IOpenTelemetryBuilder AddOpenTelemetry(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelemetryStarter>());
        return new Builder(services);
    }

    private sealed class Builder(IServiceCollection services) : IOpenTelemetryBuilder
    {
        public IServiceCollection Services => services;
    }

    private sealed class TelemetryStarter(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Resolving builds them; the logger provider is built with the first ILogger, before any hosted service.
            services.GetService<TracerProvider>();
            services.GetService<MeterProvider>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
