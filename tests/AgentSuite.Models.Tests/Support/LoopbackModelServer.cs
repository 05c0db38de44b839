using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AgentSuite.Models.Tests.Support;

/// <summary>
/// An OpenAI-protocol server on a real loopback socket (<see cref="HttpListener"/> on 127.0.0.1) that answers each
/// request with the next queued answer and keeps every request (body, headers, arrival time) for the test to read.
/// With nothing queued it answers 500, so a test that asks more than it queued fails loudly.
/// </summary>
public sealed class LoopbackModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<LoopbackAnswer> _answers = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;

    public LoopbackModelServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The base address to give a client, including <c>/v1</c>.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests];

    /// <summary>Queues a JSON answer.</summary>
    public LoopbackModelServer Reply(string json, int status = 200, params (string Name, string Value)[] headers) =>
        Enqueue(new LoopbackAnswer(status, "application/json", [json], headers, TimeSpan.Zero));

    /// <summary>Queues a server-sent event stream: each piece is one <c>data:</c> event, then <c>[DONE]</c>.</summary>
    public LoopbackModelServer Stream(params string[] events) =>
        Enqueue(new LoopbackAnswer(200, "text/event-stream", [.. events.Select(e => $"data: {e}\n\n"), "data: [DONE]\n\n"], [], TimeSpan.Zero));

    public LoopbackModelServer Enqueue(LoopbackAnswer answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener's own shutdown error: nothing is left to serve.
        }

        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        var open = new List<Task>();
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext http;
            try
            {
                http = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            open.Add(AnswerAsync(http));
        }

        await Task.WhenAll(open);
    }

    private async Task AnswerAsync(HttpListenerContext http)
    {
        try
        {
            using var reader = new StreamReader(http.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _requests.Enqueue(new LoopbackRequest(
                JsonDocument.Parse(body).RootElement.Clone(),
                body,
                http.Request.Headers.AllKeys.ToDictionary(k => k!, k => http.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase),
                DateTimeOffset.UtcNow));
            var answer = _answers.TryDequeue(out var next) ? next
                : new LoopbackAnswer(500, "application/json", ["""{"error":{"message":"The test queued no answer for this request."}}"""], [], TimeSpan.Zero);

            // A delayed answer sends its first piece after the delay, and a piece of null stalls the stream until the
            // test ends: a model that falls silent.
            await Task.Delay(answer.Delay, _stopping.Token);
            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers)
            {
                http.Response.Headers[name] = value;
            }

            http.Response.SendChunked = true;
            foreach (var piece in answer.Pieces)
            {
                if (piece is null)
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }

                await http.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(piece!), _stopping.Token);
                await http.Response.OutputStream.FlushAsync(_stopping.Token);
            }

            http.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (a timeout under test) or the server is stopping.
            http.Response.Abort();
        }
    }
}
