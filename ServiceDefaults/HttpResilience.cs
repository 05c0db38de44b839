using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace AgentSuite.ServiceDefaults;

/// <summary>
/// The standard resilience handler (<c>Microsoft.Extensions.Http.Resilience</c>) as this app needs it: its options bound
/// from the <c>HttpResilience</c> section, a circuit breaker per endpoint (scheme, host and port), and retries that never
/// send twice what may have reached a server.
/// <para>
/// The handler's own retry predicate (408, 429, 5xx, <see cref="HttpRequestException"/>, an attempt that timed out) stays;
/// on top of it a request is retried only if sending it again cannot do anything twice: its method is safe (GET, HEAD,
/// OPTIONS, TRACE), or the connection could not even be made (nothing was sent), or its caller opted in with
/// <see cref="RetryUnsafeMethod"/>. A POST that reached the server is never sent again: an MCP Streamable HTTP POST is a
/// tool call, and a refund whose response was lost may have been paid. Its failure goes to the caller, which reports
/// the outcome as unknown (governance never re-runs such a call).
/// </para>
/// </summary>
public static class HttpResilience
{
    public const string Section = "HttpResilience";

    /// <summary>Set to true on a POST, PUT, PATCH or DELETE that is safe to send twice (it carries an idempotency key, say).</summary>
    public static readonly HttpRequestOptionsKey<bool> RetryUnsafeMethod = new("AgentSuite.Resilience.RetryUnsafeMethod");

    /// <summary>
    /// The standard handler with the app's retry rule and a circuit per endpoint; <see cref="Section"/> sets its
    /// <see cref="HttpStandardResilienceOptions"/> (an unknown key stops the app at start).
    /// </summary>
    public static IHttpStandardResiliencePipelineBuilder AddConfiguredResilienceHandler(this IHttpClientBuilder http, IConfiguration configuration)
    {
        var pipeline = http.AddStandardResilienceHandler().SelectPipelineByAuthority();
        http.Services.Configure<HttpStandardResilienceOptions>(pipeline.PipelineName, configuration.GetSection(Section), b => b.ErrorOnUnknownConfiguration = true);
        http.Services.PostConfigure<HttpStandardResilienceOptions>(pipeline.PipelineName, o => o.Retry.ShouldHandle = OnlyWhatCannotRunTwice(o.Retry.ShouldHandle));
        return pipeline;
    }

    /// <summary>
    /// For a client whose calls their caller bounds (the MCP client: <c>Mcp:CallTimeout</c>, and a session's event stream
    /// that lives as long as the session): replaces the defaults' handler with one whose attempt and total timeouts are
    /// off, so neither a long tool call nor the stream is cut. Retries and the circuit breaker stay. The client's own
    /// <see cref="HttpClient.Timeout"/> (100 s by default, counted until the response headers arrive) is off too: a tool
    /// call's response starts only with its first event.
    /// </summary>
    public static IHttpStandardResiliencePipelineBuilder AddUntimedResilienceHandler(this IHttpClientBuilder http, IConfiguration configuration)
    {
#pragma warning disable EXTEXP0001 // Experimental, and the documented way to replace the handler ConfigureHttpClientDefaults added.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // AddStandardResilienceHandler turns HttpClient.Timeout off as well; stated here because a long tool call depends on it.
        http.ConfigureHttpClient(static c => c.Timeout = Timeout.InfiniteTimeSpan);
        var pipeline = http.AddConfiguredResilienceHandler(configuration);

        // Timeout properties accept 10 ms to 1 day; a generator returning InfiniteTimeSpan is Polly's "no timeout".
        http.Services.PostConfigure<HttpStandardResilienceOptions>(pipeline.PipelineName, o =>
            o.AttemptTimeout.TimeoutGenerator = o.TotalRequestTimeout.TimeoutGenerator = static _ => ValueTask.FromResult(Timeout.InfiniteTimeSpan));
        return pipeline;
    }

    private static Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> OnlyWhatCannotRunTwice(Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> transient) =>
        async args => await transient(args).ConfigureAwait(false) && MaySendAgain(args);

    private static bool MaySendAgain(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if ((args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage()) is not { } request)
        {
            return false;
        }

        return IsSafe(request.Method)
            || (request.Options.TryGetValue(RetryUnsafeMethod, out var optedIn) && optedIn)
            || args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError };
    }

    private static bool IsSafe(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;
}
