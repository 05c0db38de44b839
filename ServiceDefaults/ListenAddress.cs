using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace AgentSuite.ServiceDefaults;

/// <summary>
/// Where a process serving HTTP listens. ASP.NET Core's own settings decide, with their usual precedence: <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c>, <c>URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c>,
/// and <c>Kestrel:Endpoints</c> over all of them. Only when none is set does the process take its own default, which is
/// on loopback (an Api with no keys runs in demo mode; a plugin trusts its caller).
/// </summary>
public static class ListenAddress
{
    public const string KestrelEndpointsSection = "Kestrel:Endpoints";

    /// <summary>The host settings those variables and arguments land in (<c>ASPNETCORE_URLS</c> and <c>--urls</c> as <c>urls</c>, <c>ASPNETCORE_HTTP_PORTS</c> as <c>http_ports</c>).</summary>
    public static IReadOnlyList<string> HostKeys { get; } = [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];

    /// <summary>The setting that says where to listen (<c>urls</c>, <c>http_ports</c>, <c>https_ports</c> or <c>Kestrel:Endpoints</c>), or null when none does.</summary>
    public static string? ConfiguredBy(IConfiguration configuration)
    {
        if (configuration.GetSection(KestrelEndpointsSection).GetChildren().Any())
        {
            return KestrelEndpointsSection;
        }

        return HostKeys.FirstOrDefault(key => !string.IsNullOrWhiteSpace(configuration[key]));
    }

    /// <summary>Sets <paramref name="defaultUrls"/> as the host's URLs when nothing in <paramref name="builder"/>'s configuration says where to listen.</summary>
    /// <returns>The setting that decides, or null when the default was applied.</returns>
    public static string? ApplyDefault(WebApplicationBuilder builder, string defaultUrls)
    {
        var configuredBy = ConfiguredBy(builder.Configuration);
        if (configuredBy is null)
        {
            builder.WebHost.UseUrls(defaultUrls);
        }

        return configuredBy;
    }
}
