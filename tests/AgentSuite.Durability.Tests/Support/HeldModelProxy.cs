using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>
/// An OpenAI-compatible endpoint on 127.0.0.1 in front of the mock model server: it forwards every request as it is,
/// except the first one <c>hold</c> picks, which it keeps unanswered until the caller goes away. So a test can kill
/// the Api while one of its model calls is in flight, with no fault hook in the product.
/// </summary>
public sealed class HeldModelProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri _upstream;
    private readonly Func<JsonElement, bool> _hold;
    private readonly HttpClient _forward = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TaskCompletionSource<JsonElement> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private int _forwarded;

    private HeldModelProxy(WebApplication app, Uri upstream, Func<JsonElement, bool> hold, Uri endpoint)
    {
        _app = app;
        _upstream = upstream;
        _hold = hold;
        Endpoint = endpoint;
    }

    /// <summary>The base address to give the Api's <c>Model:Endpoint</c>, with <c>/v1</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Completes with the held request's body once it has arrived.</summary>
    public Task<JsonElement> Held => _held.Task;

    /// <summary>How many requests were answered by the model server.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Starts the proxy to <paramref name="upstream"/> (the model server's base address); <paramref name="hold"/> picks the request to keep.</summary>
    public static async Task<HeldModelProxy> StartAsync(Uri upstream, Func<JsonElement, bool> hold)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new HeldModelProxy(app, upstream, hold, new Uri($"http://127.0.0.1:{port}/v1"));
        app.Map("/v1/{**path}", proxy.HandleAsync);
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        using var json = JsonDocument.Parse(body.Length > 0 ? body : "null");
        if (http.Request.Method == HttpMethods.Post && !_held.Task.IsCompleted && _hold(json.RootElement) && _held.TrySetResult(json.RootElement.Clone()))
        {
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
            }
            catch (OperationCanceledException)
            {
                // The Api died with the call in flight (or the test is over): nothing to answer.
            }

            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(_upstream, http.Request.Path + http.Request.QueryString));
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(http.Request.ContentType ?? "application/json"));
        }

        if (http.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
        }

        using var response = await _forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        Interlocked.Increment(ref _forwarded);
        http.Response.StatusCode = (int)response.StatusCode;
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
