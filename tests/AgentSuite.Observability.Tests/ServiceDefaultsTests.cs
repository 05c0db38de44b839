using AgentSuite.Observability.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AgentSuite.Observability.Tests;

/// <summary>What <c>AddServiceDefaults</c> gives a process before anything is exported.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ServiceDefaultsTests
{
    [Fact]
    public void ServiceIsNamedForTheApplicationUnlessTheOtelVariablesNameIt()
    {
        Assert.Equal("Billing.McpServer", Resource([])["service.name"]);
        Assert.Equal("billing", Resource(new() { ["OTEL_SERVICE_NAME"] = "billing" })["service.name"]);

        // As Aspire sets them: the name and the instance from OTEL_RESOURCE_ATTRIBUTES.
        var aspire = Resource(new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=crm,service.instance.id=crm-1" });
        Assert.Equal(("crm", "crm-1"), (aspire["service.name"], aspire["service.instance.id"]));
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
