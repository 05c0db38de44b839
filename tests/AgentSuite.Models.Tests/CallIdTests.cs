using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Models.Tests;

/// <summary>How the mock names its tool calls: numbered (the default) or random, as a real model's are.</summary>
public sealed partial class CallIdTests
{
    private const string Script = """
        agents:
          billing:
            - when: refund (?<invoice>INV-\d+)
              steps:
                - call: billing_get_invoice
                  arguments:
                    invoice_id: "{{match.invoice}}"
                - reply: "Invoice {{result.invoice_id}} read."
        """;

    private static readonly ChatOptions Options = new()
    {
        AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = "billing" },
        Tools = [AIFunctionFactory.Create((string invoice_id) => invoice_id, "billing_get_invoice")],
    };

    [Fact]
    public async Task SequentialIsTheDefaultAndNumbersCallsTheSameOnEveryRun()
    {
        var mock = new MockChatClient(MockScript.Parse(Script));

        var first = Call(await mock.GetResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options));
        var again = Call(await mock.GetResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options));

        Assert.Equal(MockCallIds.Sequential, mock.CallIds);
        Assert.Equal("call_1", first.CallId);
        Assert.Equal("call_1", again.CallId);
    }

    [Fact]
    public async Task RandomGivesANewRealisticIdOnEveryAnswerAndKeepsTheRestOfTheCall()
    {
        var mock = new MockChatClient(MockScript.Parse(Script), MockCallIds.Random);

        var first = Call(await mock.GetResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options));
        var again = Call(await mock.GetResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options));

        Assert.Matches(RandomId(), first.CallId);
        Assert.Matches(RandomId(), again.CallId);
        Assert.NotEqual(first.CallId, again.CallId);
        Assert.Equal(first.Name, again.Name);
        Assert.Equal(first.Arguments!["invoice_id"]!.ToString(), again.Arguments!["invoice_id"]!.ToString());
    }

    [Fact]
    public async Task RandomIdsStillMatchEachResultToItsCall()
    {
        var mock = new MockChatClient(MockScript.Parse(Script), MockCallIds.Random);
        List<ChatMessage> history = [new(ChatRole.User, "refund INV-1002")];
        var call = Call(await mock.GetResponseAsync(history, Options));
        history.Add(new ChatMessage(ChatRole.Assistant, [call]));
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, new { invoice_id = "INV-1002" })]));

        var reply = await mock.GetResponseAsync(history, Options);

        Assert.Equal("Invoice INV-1002 read.", reply.Text);
    }

    [Fact]
    public async Task StreamedAnswersCarryRandomIdsToo()
    {
        var mock = new MockChatClient(MockScript.Parse(Script), MockCallIds.Random);

        var response = await mock.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options).ToChatResponseAsync();

        Assert.Matches(RandomId(), Call(response).CallId);
    }

    [Theory]
    [InlineData(null, MockCallIds.Sequential)]
    [InlineData("", MockCallIds.Sequential)]
    [InlineData("sequential", MockCallIds.Sequential)]
    [InlineData("Random", MockCallIds.Random)]
    [InlineData(" random ", MockCallIds.Random)]
    public void SettingReadsBothValuesInAnyCase(string? value, MockCallIds expected) =>
        Assert.Equal(expected, MockCallIdsSetting.Parse(value, "Model:CallIds"));

    [Fact]
    public void UnknownSettingNamesTheKeyAndTheValuesItTakes()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MockCallIdsSetting.Parse("uuid", "Model:CallIds"));

        Assert.Equal("Model:CallIds is 'uuid'; give 'sequential' (the default: call_1, call_2, ... on every run) or 'random' (call_ and random hex digits, as a real model's ids are).", error.Message);
    }

    [Fact]
    public async Task AddMockChatClientRegistersTheChosenIds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mock-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, Script);
        try
        {
            using var provider = new ServiceCollection().AddMockChatClient(path, MockCallIds.Random).BuildServiceProvider();

            var chat = provider.GetRequiredService<IChatClient>();

            Assert.Same(chat, provider.GetRequiredService<MockChatClient>());
            Assert.Equal(MockCallIds.Random, provider.GetRequiredService<MockChatClient>().CallIds);
            Assert.Matches(RandomId(), Call(await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "refund INV-1002")], Options)).CallId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FunctionCallContent Call(ChatResponse response) =>
        Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());

    [GeneratedRegex("^call_[0-9a-f]{24}$")]
    private static partial Regex RandomId();
}
