using System.Text.Json;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>The server-sent events of <c>"stream": true</c>, read raw.</summary>
[Collection(MockModelServerCollection.Name)]
public sealed class StreamingWireTests(MockModelServerFixture fixture)
{
    [Fact]
    public async Task StreamIsChunksThenTheFinishReasonThenDone()
    {
        var (contentType, events) = await fixture.Server.PostStreamAsync(Demo.BillingRequestJson("\"stream\":true"));

        Assert.Equal("text/event-stream", contentType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Parse(events[..^1]);
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(chunk => chunk.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, chunk => Assert.Equal("agentsuite-mock", chunk.GetProperty("model").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var finishes = chunks.Select(chunk => chunk.GetProperty("choices")[0].GetProperty("finish_reason")).ToList();
        Assert.All(finishes[..^1], finish => Assert.Equal(JsonValueKind.Null, finish.ValueKind));
        Assert.Equal("tool_calls", finishes[^1].GetString());
        Assert.DoesNotContain(chunks, chunk => chunk.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task ToolCallArgumentsArriveInAtLeastTwoDeltas()
    {
        var (_, whole) = await fixture.Server.PostJsonAsync(Demo.BillingRequestJson());
        var (_, events) = await fixture.Server.PostStreamAsync(Demo.BillingRequestJson("\"stream\":true"));

        var deltas = Parse(events[..^1])
            .Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta"))
            .Where(delta => delta.TryGetProperty("tool_calls", out _))
            .Select(delta => Assert.Single(delta.GetProperty("tool_calls").EnumerateArray()))
            .ToList();
        Assert.All(deltas, delta => Assert.Equal(0, delta.GetProperty("index").GetInt32()));
        Assert.Equal("call_1", deltas[0].GetProperty("id").GetString());
        Assert.Equal("function", deltas[0].GetProperty("type").GetString());
        Assert.Equal("billing_get_invoice", deltas[0].GetProperty("function").GetProperty("name").GetString());
        Assert.All(deltas[1..], delta => Assert.False(delta.TryGetProperty("id", out _)));
        var pieces = deltas.Select(delta => delta.GetProperty("function").GetProperty("arguments").GetString()).Where(p => p!.Length > 0).ToList();
        Assert.True(pieces.Count >= 2, $"the arguments came in {pieces.Count} delta(s)");
        var expected = whole.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString();
        Assert.Equal(expected, string.Concat(pieces));
    }

    [Fact]
    public async Task TextStreamsAsContentDeltasThatJoinToTheWholeAnswer()
    {
        // The coordinator's last step of a hand-off replies with the specialist's answer.
        const string request = """{"model":"m","messages":[{"role":"system","name":"coordinator","content":"Route."},{"role":"user","content":"I was charged twice on INV-1002, please refund it"},""" +
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"ask_billing","arguments":"{\"request\":\"refund it\"}"}}]},""" +
            """{"role":"tool","tool_call_id":"call_1","content":"Refunded 49.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-2001."}]}""";
        var (_, whole) = await fixture.Server.PostJsonAsync(request);
        var (_, events) = await fixture.Server.PostStreamAsync(request[..^1] + ",\"stream\":true}");

        var chunks = Parse(events[..^1]);
        var pieces = chunks.Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta"))
            .Where(delta => delta.TryGetProperty("content", out _))
            .Select(delta => delta.GetProperty("content").GetString())
            .ToList();
        Assert.True(pieces.Count > 1, $"the text came in {pieces.Count} piece(s)");
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), string.Concat(pieces));
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task UsageChunkComesLastOnlyWhenAskedFor()
    {
        var (_, whole) = await fixture.Server.PostJsonAsync(Demo.BillingRequestJson());
        var (_, withUsage) = await fixture.Server.PostStreamAsync(Demo.BillingRequestJson("\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var (_, without) = await fixture.Server.PostStreamAsync(Demo.BillingRequestJson("\"stream\":true,\"stream_options\":{\"include_usage\":false}"));

        var chunks = Parse(withUsage[..^1]);
        var last = chunks[^1];
        Assert.Empty(last.GetProperty("choices").EnumerateArray());
        Assert.Equal(whole.GetProperty("usage").GetRawText(), last.GetProperty("usage").GetRawText());
        Assert.Single(chunks, chunk => chunk.TryGetProperty("usage", out _));
        Assert.Equal("tool_calls", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.DoesNotContain(Parse(without[..^1]), chunk => chunk.TryGetProperty("usage", out _));
    }

    private static List<JsonElement> Parse(List<string> events) =>
        [.. events.Select(e =>
        {
            using var document = JsonDocument.Parse(e);
            return document.RootElement.Clone();
        })];
}
