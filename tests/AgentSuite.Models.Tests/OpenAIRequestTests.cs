using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;
using static AgentSuite.Models.Tests.Support.OpenAIAnswers;

namespace AgentSuite.Models.Tests;

/// <summary>What the OpenAI provider (Microsoft.Extensions.AI.OpenAI) puts on the wire, read from a real loopback server.</summary>
public sealed class OpenAIRequestTests : IDisposable
{
    private readonly LoopbackModelServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecutionSettingsTheAbstractionsDoNotNameReachTheWireAndTheAppsOwnKeysDoNot(bool streaming)
    {
        if (streaming)
        {
            _server.Stream(StreamedText("Done."));
            await Provider(_server.Endpoint).GetStreamingResponseAsync(Conversation(), Options()).ToListAsync();
        }
        else
        {
            _server.Reply(Text);
            await Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options());
        }

        var request = Assert.Single(_server.Requests);
        var body = request.Json;
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.Equal("dana-7", body.GetProperty("user").GetString());
        Assert.Equal(40, body.GetProperty("top_k").GetInt64());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("50256").GetInt32());
        Assert.DoesNotContain("agentsuite", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("conv_wire", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSettingsDoNotChangeTheCallersOptions()
    {
        _server.Reply(Text);
        var options = Options();
        await Provider(_server.Endpoint).GetResponseAsync(Conversation(), options);

        Assert.Null(options.RawRepresentationFactory);
        Assert.Equal("flex", options.AdditionalProperties!["service_tier"]);
    }

    [Fact]
    public async Task AnAgentsModelIdReplacesTheConfiguredModel()
    {
        _server.Reply(Text);
        var options = Options();
        options.ModelId = "agent-model";
        await Provider(_server.Endpoint).GetResponseAsync(Conversation(), options);

        Assert.Equal("agent-model", Assert.Single(_server.Requests).Json.GetProperty("model").GetString());
    }
}
