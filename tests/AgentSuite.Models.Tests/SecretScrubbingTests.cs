using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class SecretScrubbingTests
{
    private const string ApiKey = "sk-live-7f3a9c2e11";
    private const string Awkward = "p\"ss\\w0rd<é>";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SecretsPlantedAnywhereNeverReachTheFile(bool streaming)
    {
        using var folder = new TempFolder();
        var model = new CannedChatClient(CannedChatClient.Text($"The key {ApiKey} and {Awkward} are not for you."));
        var client = model.WithRecording(folder.Path, [ApiKey, Awkward, null, ""]);
        var options = Recording.For("billing", "conv-1", "billing_get_invoice");
        options.ModelId = $"model-{ApiKey}";
        options.StopSequences = [Awkward];
        ChatMessage[] messages =
        [
            new(ChatRole.System, $"You are billing. Your key is {ApiKey}.") { AuthorName = "billing" },
            Chat.User($"my password is {Awkward}, use key {ApiKey}"),
            Chat.Called("call_1", "billing_get_invoice", new Dictionary<string, object?> { ["token"] = ApiKey, [ApiKey] = Json.Parse($$"""{"nested":["{{ApiKey}}"]}""") }),
            Chat.Result("call_1", Json.Envelope("billing/get_invoice", new { note = $"echo {ApiKey}", raw = $"{{\"k\":\"{ApiKey}\"}}" })),
            Chat.Result("call_2", $"text result with {Awkward}"),
        ];

        var response = streaming
            ? await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await client.GetResponseAsync(messages, options);

        var text = await File.ReadAllTextAsync(folder.File("conv-1.jsonl"));
        Assert.Contains(ApiKey, response.Text, StringComparison.Ordinal);
        Assert.Contains(ApiKey, model.Requests[0].Messages[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("p\\\"ss", text, StringComparison.Ordinal);
        Assert.DoesNotContain("w0rd", text, StringComparison.Ordinal);
        Assert.Equal(13, text.Split("[secret]").Length - 1); // system 1, user 2, call 3, results 3, reply 2, model id 1, stop sequence 1
        var line = Assert.Single(Recording.Lines(folder.File("conv-1.jsonl")));
        Assert.Equal("my password is [secret], use key [secret]", line.GetProperty("request").GetProperty("messages")[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task AdditionalPropertiesOtherThanAgentAndConversationAreNotRecorded()
    {
        using var folder = new TempFolder();
        var client = new CannedChatClient(CannedChatClient.Text("ok")).WithRecording(folder.Path);
        var options = Recording.For("billing", "conv-1");
        options.AdditionalProperties!["api_key"] = "not-listed-as-a-secret";
        options.AdditionalProperties["agentsuite.principal"] = "dana@example.com";

        await client.GetResponseAsync(Recording.Ask("billing", "hello"), options);

        var text = await File.ReadAllTextAsync(folder.File("conv-1.jsonl"));
        Assert.DoesNotContain("api_key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-listed-as-a-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dana@example.com", text, StringComparison.Ordinal);
        Assert.Contains("\"agent\":\"billing\"", text, StringComparison.Ordinal);
    }
}
