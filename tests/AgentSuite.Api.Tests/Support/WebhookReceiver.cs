using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1 on a free port. It records every request as it arrives and answers
/// the n-th one with <c>answer(n)</c>; with <c>hang</c> it never answers (until disposed).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Path = "/hooks/approvals";

    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly CancellationTokenSource _stopping = new();
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(Func<int, int>? answer = null, bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost(Path, async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
            var attempt = Interlocked.Increment(ref receiver._count);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await receiver._received.Writer.WriteAsync(new ReceivedWebhook(attempt, headers, body, JsonSerializer.Deserialize<JsonElement>(body)));
            if (hang)
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, receiver._stopping.Token);
                await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            return Results.StatusCode(answer?.Invoke(attempt) ?? StatusCodes.Status200OK);
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.Single()), Path);
        return receiver;
    }

    /// <summary>The next request to arrive.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(60));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>One request as the receiver saw it: which it was (1 for the first), its headers and its body.</summary>
public sealed record ReceivedWebhook(int Attempt, IReadOnlyDictionary<string, string> Headers, string Body, JsonElement Json);
