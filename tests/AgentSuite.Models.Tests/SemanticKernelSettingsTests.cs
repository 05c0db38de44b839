using AgentSuite.Models.Tests.Support;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using static AgentSuite.Models.Tests.Support.OpenAIAnswers;

namespace AgentSuite.Models.Tests;

/// <summary>
/// An agent's <c>execution_settings</c> as Semantic Kernel hands them to the provider (its <c>ToChatOptions</c> maps the
/// keys it knows and leaves the rest in <c>AdditionalProperties</c>): every one reaches the wire, the app's own do not.
/// </summary>
public sealed class SemanticKernelSettingsTests : IDisposable
{
    private readonly LoopbackModelServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task SettingsSemanticKernelMapsAndSettingsItLeavesOverBothReachTheWire()
    {
        _server.Reply(Text);
        var service = Provider(_server.Endpoint).AsChatCompletionService();
        var history = new ChatHistory();
        history.Add(new ChatMessageContent(AuthorRole.System, "You are the billing specialist.") { AuthorName = "billing" });
        history.AddUserMessage("I was charged twice on INV-1002, please refund it");
        var settings = new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object>
            {
                ["temperature"] = 0.2,
                ["top_p"] = 0.5,
                ["max_tokens"] = 300,
                ["reasoning_effort"] = "low",
                ["service_tier"] = "flex",
                [MockChatClient.AgentPropertyKey] = "billing",
                [MockChatClient.ConversationPropertyKey] = "conv_sk",
            },
        };

        var answer = await service.GetChatMessageContentAsync(history, settings);

        Assert.Equal("I refunded the duplicate charge of 49.00 USD on INV-1002.", answer.Content);
        var request = Assert.Single(_server.Requests);
        var body = request.Json;
        Assert.Equal("billing", body.GetProperty("messages")[0].GetProperty("name").GetString());
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.True(body.TryGetProperty("max_completion_tokens", out var max) || body.TryGetProperty("max_tokens", out max));
        Assert.Equal(300, max.GetInt32());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.DoesNotContain("agentsuite", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("conv_sk", request.Body, StringComparison.Ordinal);
    }
}
