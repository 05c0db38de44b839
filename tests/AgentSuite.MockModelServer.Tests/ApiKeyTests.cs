using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>With <c>MockModel:ApiKey</c> set, every /v1 request must send it as a bearer token.</summary>
public sealed class ApiKeyTests(KeyedServerFixture fixture) : IClassFixture<KeyedServerFixture>
{
    [Fact]
    public async Task RequestWithoutAKeyIsRefusedInOpenAIsShape()
    {
        using var response = await fixture.Server.SendAsync(HttpMethod.Post, "/v1/chat/completions", Demo.BillingRequestJson(), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("Authorization: Bearer", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/chat/completions")]
    public async Task WrongKeyIsRefused(string method, string path)
    {
        using var response = await fixture.Server.SendAsync(new HttpMethod(method), path, method == "POST" ? Demo.BillingRequestJson() : null, "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("is not this server's key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfficialClientSendsTheKey()
    {
        var answer = await OpenAIClients.Chat(fixture.Server, KeyedServerFixture.Key).CompleteAsync(Demo.BillingRequest(), Demo.WithTools());
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIClients.Chat(fixture.Server, "not-the-key").CompleteAsync(Demo.BillingRequest(), Demo.WithTools()));

        Assert.Equal("billing_get_invoice", Assert.Single(answer.Calls).Name);
        Assert.Equal(401, refused.Status);
        Assert.Contains("is not this server's key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthNeedsNoKey()
    {
        using var health = await fixture.Server.SendAsync(HttpMethod.Get, "/health", null, apiKey: null);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TheKeyNeverAppearsInTheServersOutput()
    {
        using var accepted = await fixture.Server.SendAsync(HttpMethod.Get, "/v1/models", null, KeyedServerFixture.Key);
        using var refused = await fixture.Server.SendAsync(HttpMethod.Get, "/v1/models", null, "not-the-key");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("API key required: yes", fixture.Server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyedServerFixture.Key, fixture.Server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyedServerFixture.Key, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
