using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace AgentSuite.Cli.Tests.Support;

/// <summary>
/// An HTTP transport that answers from canned responses per "METHOD path" (path with query), and records every
/// request, so the CLI's requests and its rendering of answers are tested without an Api.
/// </summary>
public sealed class CannedApi : HttpMessageHandler
{
    public const string BaseUrl = "http://canned.test:5080";

    private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public CannedApi On(string methodAndPath, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _routes[methodAndPath] = answer;
        return this;
    }

    public CannedApi OnJson(string methodAndPath, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        On(methodAndPath, _ => Answer(status, json, "application/json"));

    public CannedApi OnProblem(string methodAndPath, HttpStatusCode status, string title, string detail) =>
        On(methodAndPath, _ => Answer(status, $$"""{"type":"about:blank","title":"{{title}}","status":{{(int)status}},"detail":"{{detail}}"}""", "application/problem+json"));

    public CannedApi OnEventStream(string methodAndPath, string stream) =>
        On(methodAndPath, _ => Answer(HttpStatusCode.OK, stream, "text/event-stream"));

    public static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = $"{request.Method} {request.RequestUri!.PathAndQuery}";
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new RecordedRequest(key, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
        return _routes.TryGetValue(key, out var answer)
            ? answer(request)
            : Answer(HttpStatusCode.NotFound, $$"""{"title":"Not Found","status":404,"detail":"CannedApi has no answer for {{key}}"}""", "application/problem+json");
    }
}
