using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The benchmark's HttpClient to the Api, in local demo mode as alice: one per instance when several share the work,
/// each turn going to the next instance in turn. A turn is a new conversation (<c>POST /api/conversations</c>) and then
/// the timed <c>POST /api/conversations/{id}/messages</c> with a JSON answer (no SSE), both on the same instance.
/// Anything but 201 / 200 with the expected reply throws: a benchmark with errors measures nothing.
/// </summary>
internal sealed class ApiTurnClient : IDisposable
{
    /// <summary>The refund path: a hand-off to billing, get_invoice, check_refund, issue_refund.</summary>
    public const string Message = "I was charged twice on INV-1002, please refund it";

    /// <summary>The first turn pays the 49.00 duplicate; every later one is answered from the idempotency store.</summary>
    public const string ExpectedReply = "Refunded 49.00";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient[] _instances;
    private readonly byte[] _body;
    private readonly string _expectedReply;
    private int _next;

    public ApiTurnClient(Uri baseAddress, int connections)
        : this([baseAddress], connections, Message, ExpectedReply)
    {
    }

    /// <summary>Turns round-robin over <paramref name="instances"/>, each sending <paramref name="message"/> and expecting a reply containing <paramref name="expectedReply"/>.</summary>
    public ApiTurnClient(IReadOnlyList<Uri> instances, int connections, string message, string expectedReply)
    {
        _instances = [.. instances.Select(baseAddress =>
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = connections,
                UseCookies = false,
                UseProxy = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            };
            var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-User", "alice");
            return http;
        })];
        _body = JsonSerializer.SerializeToUtf8Bytes(new { text = message });
        _expectedReply = expectedReply;
    }


    /// <summary>One turn in a new conversation; returns the message POST's time in <see cref="Stopwatch"/> ticks.</summary>
    public async Task<long> TurnAsync(CancellationToken cancellationToken = default)
    {
        var http = _instances[(int)((uint)Interlocked.Increment(ref _next) % _instances.Length)];
        var id = await CreateConversationAsync(http, cancellationToken);
        using var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        var start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync($"api/conversations/{id}/messages", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ticks = Stopwatch.GetTimestamp() - start;
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(_expectedReply, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A turn on {http.BaseAddress} did not answer 200 with a reply saying '{_expectedReply}': {(int)response.StatusCode} {body}");
        }

        return ticks;
    }

    /// <summary><c>GET /api/audit/verify</c>: the Api's own verification of its hash chain.</summary>
    public async Task<(bool Ok, long Count, string? Problem)> VerifyAuditAsync(int instance = 0)
    {
        using var response = await _instances[instance].GetAsync("api/audit/verify");
        return await ReadVerificationAsync(response);
    }

    /// <summary>The answer of <c>GET /api/audit/verify</c>; anything but 200 is an error of the benchmark's run.</summary>
    public static async Task<(bool Ok, long Count, string? Problem)> ReadVerificationAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /api/audit/verify answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return (root.GetProperty("ok").GetBoolean(), root.GetProperty("count").GetInt64(), root.TryGetProperty("problem", out var p) ? p.GetString() : null);
    }

    public void Dispose()
    {
        foreach (var http in _instances)
        {
            http.Dispose();
        }
    }

    private static async Task<string> CreateConversationAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("api/conversations", null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"POST /api/conversations answered {(int)response.StatusCode}, not 201 with a Location: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return location.OriginalString[(location.OriginalString.LastIndexOf('/') + 1)..];
    }
}
