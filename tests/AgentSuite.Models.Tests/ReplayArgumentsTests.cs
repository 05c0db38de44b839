using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

/// <summary>What a recorded model said comes back exactly: JSON arguments as written, text with template syntax as text.</summary>
public sealed class ReplayArgumentsTests
{
    private const string Nested = """{"lines":[1,2.50,{"note":"{{user}}"}],"flags":{"urgent":false,"tags":["a","b"]},"none":null}""";
    private const string Tricky = "Use {{user}} or {{\"{{\"}} and {{{x}}}, never }} alone; {{ unclosed.\n  Grüße ✓ 😀 'single' \"double\" back\\slash\ttab \u0001\u2028 ";

    [Fact]
    public async Task RecordedArgumentsReplayWithTheirExactJson()
    {
        using var folder = new TempFolder();
        var arguments = new Dictionary<string, object?>
        {
            ["amount"] = Json.Parse("49.00"),
            ["whole"] = 49,
            ["decimal"] = 49.00m,
            ["ratio"] = 0.1,
            ["flag"] = true,
            ["none"] = null,
            ["nested"] = Json.Parse(Nested),
            ["text"] = Tricky,
        };
        var model = new CannedChatClient(CannedChatClient.Calls(new FunctionCallContent("call_a", "billing_issue_refund", arguments)));

        var replay = await Replays.RecordAsync(folder, model, (Recording.Ask("billing", "refund it"), Chat.For("billing", "billing_issue_refund")));
        var call = (await replay.AskAsync(Chat.For("billing", "billing_issue_refund"), Recording.Ask("billing", "refund it"))).SingleCall();

        Assert.Equal("billing_issue_refund", call.Name);
        Assert.Equal(
            ["49.00", "49", "49.00", "0.1", "true", "null", Nested],
            new[] { "amount", "whole", "decimal", "ratio", "flag", "none", "nested" }.Select(k => Assert.IsType<JsonElement>(call.Arguments![k]).GetRawText()));
        Assert.Equal(Tricky, Assert.IsType<JsonElement>(call.Arguments!["text"]).GetString());
        Assert.Equal(arguments.Keys, call.Arguments!.Keys);
    }

    [Fact]
    public async Task RecordedTextWithTemplateSyntaxReplaysLiterally()
    {
        using var folder = new TempFolder();
        var model = new CannedChatClient(CannedChatClient.Text(Tricky));

        var replay = await Replays.RecordAsync(folder, model, (Recording.Ask("billing", "say it"), Chat.For("billing")));
        var response = await replay.AskAsync(Chat.For("billing"), Recording.Ask("billing", "say it"));

        Assert.Equal(Tricky, response.Text);
    }

    [Fact]
    public async Task UserMessageIsMatchedExactlyNotAsAPattern()
    {
        using var folder = new TempFolder();
        const string Message = "Refund (INV-1002)? Cost: $49.00 + tax [a|b] #1 {{user}} 'it''s' \"q\"\nsecond line\t.\u0001\u2028\\d+ ";
        var replay = await Replays.RecordAsync(folder, new CannedChatClient(CannedChatClient.Text("ok")), (Recording.Ask("billing", Message), Chat.For("billing")));

        var response = await replay.AskAsync(Chat.For("billing"), Recording.Ask("billing", Message));

        Assert.Equal("ok", response.Text);
        await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Chat.For("billing"), Recording.Ask("billing", Message.ToUpperInvariant())));
        await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Chat.For("billing"), Recording.Ask("billing", "x" + Message)));
    }

    [Fact]
    public async Task ParallelCallsWithTextAlongsideReplayAsOneResponse()
    {
        using var folder = new TempFolder();
        var response = CannedChatClient.Calls(
            new FunctionCallContent("c1", "billing_get_invoice", new Dictionary<string, object?> { ["invoice_id"] = "INV-1002" }),
            new FunctionCallContent("c2", "crm_find_customer", new Dictionary<string, object?> { ["query"] = "dana@example.com" }));
        response.Messages[0].Contents.Insert(0, new TextContent("Looking at both."));
        var options = Chat.For("billing", "billing_get_invoice", "crm_find_customer");

        var replay = await Replays.RecordAsync(folder, new CannedChatClient(response), (Recording.Ask("billing", "who paid INV-1002?"), options));
        var answer = await replay.AskAsync(options, Recording.Ask("billing", "who paid INV-1002?"));

        var yaml = RecordingConverter.ToScriptYaml(folder.File("recorded.jsonl"));
        Assert.Contains("calls:", yaml, StringComparison.Ordinal);
        Assert.Contains("with_text: \"Looking at both.\"", yaml, StringComparison.Ordinal);
        Assert.Equal("Looking at both.", answer.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, answer.FinishReason);
        Assert.Equal(
            ["billing_get_invoice {\"invoice_id\":\"INV-1002\"}", "crm_find_customer {\"query\":\"dana@example.com\"}"],
            answer.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => $"{c.Name} {JsonSerializer.Serialize(c.Arguments)}"));
    }

    [Fact]
    public async Task ArgumentsJsonInAHandWrittenScriptIsTakenLiterally()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_issue_refund
                      arguments_json: '{"amount":49.00,"count":49,"filter":{"ids":[1,2.5]},"note":"{{user}}"}'
            """);

        var call = (await client.AskAsync(Chat.For("billing", "billing_issue_refund"), Chat.User("refund"))).SingleCall();

        Assert.Equal("49.00", ((JsonElement)call.Arguments!["amount"]!).GetRawText());
        Assert.Equal("49", ((JsonElement)call.Arguments["count"]!).GetRawText());
        Assert.Equal("""{"ids":[1,2.5]}""", ((JsonElement)call.Arguments["filter"]!).GetRawText());
        Assert.Equal("{{user}}", call.Arg("note"));
    }
}
