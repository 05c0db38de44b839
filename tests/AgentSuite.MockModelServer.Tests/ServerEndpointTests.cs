using System.Net;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>The model listing, the health endpoints, and what an unknown /v1 path answers.</summary>
[Collection(MockModelServerCollection.Name)]
public sealed class ServerEndpointTests(MockModelServerFixture fixture)
{
    [Fact]
    public async Task ModelsListsTheMockModel()
    {
        var (status, body) = await fixture.Server.GetJsonAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("agentsuite-mock", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal("agentsuite", model.GetProperty("owned_by").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 0);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpointsSayHealthy(string path)
    {
        var (status, body) = await fixture.Server.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownEndpointNamesTheOnesServed()
    {
        var (status, body) = await fixture.Server.GetJsonAsync("/v1/responses");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("POST /v1/chat/completions and GET /v1/models", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
