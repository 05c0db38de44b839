using AgentSuite.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The default address applies only when nothing says where to listen. Checked on the host's configuration rather than
/// by binding 5080, where a developer may be running the Api; tests/AgentSuite.Hosting.Tests starts the built Api with
/// each setting.
/// </summary>
public sealed class ListenAddressTests
{
    private static readonly string AppSettings = Path.Combine(Support.ApiServer.RepositoryRoot, "src", "AgentSuite.Api", "appsettings.json");

    [Fact]
    public void WithNothingSetTheApiListensOnLoopbackPort5080()
    {
        var builder = EmptyBuilder();
        builder.Configuration.AddJsonFile(AppSettings);

        var decidedBy = ListenAddress.ApplyDefault(builder, ApiApplication.DefaultListenAddress);

        Assert.Null(decidedBy);
        Assert.Equal("http://127.0.0.1:5080", builder.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:5999", "urls")]
    [InlineData("URLS", "http://127.0.0.1:5999", "urls")]
    [InlineData("HTTP_PORTS", "8080", "http_ports")]
    [InlineData("https_ports", "8443", "https_ports")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:5999", "Kestrel:Endpoints")]
    public void AnyAddressSettingKeepsTheDefaultOut(string key, string value, string decides)
    {
        var builder = EmptyBuilder();
        builder.Configuration.AddJsonFile(AppSettings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });

        var decidedBy = ListenAddress.ApplyDefault(builder, ApiApplication.DefaultListenAddress);

        Assert.Equal(decides, decidedBy);
        Assert.NotEqual(ApiApplication.DefaultListenAddress, builder.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Fact]
    public void UrlsOnTheCommandLineKeepsTheDefaultOut()
    {
        var builder = EmptyBuilder();
        builder.Configuration.AddJsonFile(AppSettings);
        builder.Configuration.AddCommandLine(["--urls", "http://127.0.0.1:5999"]);

        Assert.Equal("urls", ListenAddress.ApplyDefault(builder, ApiApplication.DefaultListenAddress));
        Assert.Equal("http://127.0.0.1:5999", builder.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Fact]
    public void AnEmptyAddressSettingCountsAsUnset()
    {
        var builder = EmptyBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = " ", ["http_ports"] = "" });

        Assert.Null(ListenAddress.ApplyDefault(builder, ApiApplication.DefaultListenAddress));
        Assert.Equal(ApiApplication.DefaultListenAddress, builder.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    /// <summary>A builder with no configuration sources at all, so this process's own environment cannot set an address.</summary>
    private static WebApplicationBuilder EmptyBuilder() =>
        WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
}
