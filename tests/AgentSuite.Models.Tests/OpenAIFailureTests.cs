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
    public async Task AStreamThatFallsSilentMidwayIsAbandonedAtTheTimeout()
    {
        var first = StreamedText("I refunded ")[0];
        _server.Enqueue(new LoopbackAnswer(200, "text/event-stream", [$"data: {first}\n\n", null], [], TimeSpan.Zero));
        var client = Provider(_server.Endpoint, timeout: TimeSpan.FromSeconds(3), retries: 0);

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
