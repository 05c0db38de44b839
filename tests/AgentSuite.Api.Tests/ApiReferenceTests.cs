using System.Net;
using AgentSuite.Api.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.Api.Tests;

/// <summary>The interactive API reference (Scalar, at /scalar/) is for development: served in Development, absent in Production.</summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public async Task InDevelopmentTheReferenceServesTheOpenApiDocument()
    {
        await using var api = await ApiServer.StartAsync(environment: Environments.Development);
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };

        using var page = await anonymous.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        using var script = await anonymous.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        using var document = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task InProductionThereIsNoReferenceButTheDocumentIsServed()
    {
        await using var api = await ApiServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };

        using (var page = await anonymous.GetAsync("/scalar/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        using (var bare = await anonymous.GetAsync("/scalar"))
        {
            Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
        }

        using var document = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }
}
