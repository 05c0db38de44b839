using System.Diagnostics;
using AgentSuite.Observability.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AgentSuite.Observability.Tests;

/// <summary>What <c>AddServiceDefaults</c> gives a process: its service name, and traces without the health probes.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ServiceDefaultsTests
{
    private static readonly ActivitySource Work = new("AgentSuite.Tests.Work");

    [Fact]
    public void ServiceIsNamedForTheApplicationUnlessTheOtelVariablesNameIt()
    {
        Assert.Equal("Billing.McpServer", Resource([])["service.name"]);
        Assert.Equal("billing", Resource(new() { ["OTEL_SERVICE_NAME"] = "billing" })["service.name"]);

        // As Aspire sets them: the name and the instance from OTEL_RESOURCE_ATTRIBUTES.
        var aspire = Resource(new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=crm,service.instance.id=crm-1" });
        Assert.Equal(("crm", "crm-1"), (aspire["service.name"], aspire["service.instance.id"]));
    }

    [Fact]
    public async Task HealthProbesAndWhatTheirChecksDoAreNotTraced()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(receiver.Environment("probed"));
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("traced-work", () =>
        {
            using (Work.StartActivity("probe work"))
            {
                return HealthCheckResult.Healthy();
            }
        });
        await using var app = builder.Build();
        app.MapGet("/work", () =>
        {
            using (Work.StartActivity("request work"))
            {
                return "done";
            }
        });
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        (await http.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();
        (await http.GetAsync(new Uri("/alive", UriKind.Relative))).EnsureSuccessStatusCode();
        Assert.Equal("done", await http.GetStringAsync(new Uri("/work", UriKind.Relative)));

        // The probes ended first, so anything they recorded is exported no later than the request that followed them.
        var spans = await receiver.WaitForSpansAsync(s => s.Any(x => x.Name == "GET /work") && s.Any(x => x.Name == "request work"), "the /work request and its own span");
        var request = Assert.Single(spans, s => s.Name == "GET /work");
        Assert.Equal(("Microsoft.AspNetCore", "/work", "200"), (request.Scope, request.Attributes["http.route"], request.Attributes["http.response.status_code"]));
        Assert.DoesNotContain(spans, s => s.Name == "probe work" || s.Name.Contains("/health", StringComparison.Ordinal) || s.Name.Contains("/alive", StringComparison.Ordinal));
        await app.StopAsync();
    }

    private static Dictionary<string, object> Resource(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Billing.McpServer", EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        using var host = builder.Build();
        return host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
    }
}
