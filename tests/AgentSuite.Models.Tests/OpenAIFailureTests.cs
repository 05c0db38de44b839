using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;
using static AgentSuite.Models.Tests.Support.OpenAIAnswers;

namespace AgentSuite.Models.Tests;

/// <summary>
/// How the OpenAI provider fails: the SDK's retries (honouring <c>Retry-After</c>), its per-attempt and per-read
/// timeouts, and the <see cref="ModelCallException"/> a person reads, against a real loopback server.
/// </summary>
public sealed class OpenAIFailureTests : IDisposable
{
    private readonly LoopbackModelServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A429IsRetriedAfterTheServersRetryAfter()
    {
        _server.Reply(Error("Rate limit reached for requests.", "requests"), 429, ("Retry-After", "1")).Reply(Text);
        var response = await Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options());

        Assert.Equal("I refunded the duplicate charge of 49.00 USD on INV-1002.", response.Text);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);

        // The backoff here is 10 ms, so a second's gap can only be the server's Retry-After.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task AServerThatKeepsFailingEndsWithAClearErrorAfterTheRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Reply(Error("The server had an error while processing your request. Sorry about that!", "server_error"), 503);
        }

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options()));
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(503, error.Status);
        Assert.Contains("'fixture-model'", error.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("The server had an error while processing your request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadRequestIsNotRetriedAndSaysWhatTheServerObjectedTo()
    {
        _server.Reply(Error("Invalid parameter: messages[2].tool_call_id does not match any tool call."), 400);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => Provider(_server.Endpoint).GetStreamingResponseAsync(Conversation(), Options()).ToListAsync().AsTask());

        Assert.Single(_server.Requests);
        Assert.Equal(400, error.Status);
        Assert.Contains("1 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("messages[2].tool_call_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyEchoedByTheServerNeverReachesTheMessage()
    {
        _server.Reply(Error($"Incorrect API key provided: {Key}."), 401);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options()));

        Assert.Contains("Incorrect API key provided: [secret]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AModelThatDoesNotAnswerIsAbandonedAtTheTimeout(bool streaming)
    {
        _server.Enqueue(new LoopbackAnswer(200, "application/json", [Text], [], TimeSpan.FromSeconds(30)));
        var client = Provider(_server.Endpoint, timeout: TimeSpan.FromMilliseconds(500), retries: 0);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => streaming
            ? client.GetStreamingResponseAsync(Conversation(), Options()).ToListAsync().AsTask()
            : client.GetResponseAsync(Conversation(), Options()));

        Assert.Null(error.Status);
        Assert.Contains("'fixture-model'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model:Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatFallsSilentMidwayIsAbandonedAtTheTimeout()
    {
        var first = StreamedText("I refunded ")[0];
        _server.Enqueue(new LoopbackAnswer(200, "text/event-stream", [$"data: {first}\n\n", null], [], TimeSpan.Zero));
        var client = Provider(_server.Endpoint, timeout: TimeSpan.FromMilliseconds(500), retries: 0);

        var received = new List<ChatResponseUpdate>();
        var error = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Conversation(), Options()))
            {
                received.Add(update);
            }
        });

        Assert.Equal("I refunded ", string.Concat(received.Select(u => u.Text)));
        Assert.Null(error.Status);
        Assert.Contains("Model:Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallerThatCancelsGetsACancellationNotAModelError()
    {
        _server.Enqueue(new LoopbackAnswer(200, "application/json", [Text], [], TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options(), cancel.Token));
    }
}
