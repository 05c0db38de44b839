// Thin stand-in for Microsoft.Extensions.Http.Resilience (which does not restore here): Polly.Core retries, a circuit breaker and timeouts around outgoing HTTP.
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AgentSuite.ServiceDefaults;

/// <summary>
/// Per call: a total timeout around retries with exponential backoff and jitter, around a circuit breaker per endpoint
/// (scheme, host and port), around a timeout per attempt. A transient failure is an <see cref="HttpRequestException"/>,
/// an attempt that timed out, a 5xx, 408 or 429; a 429 or 503 with <c>Retry-After</c> waits as long as it asks.
/// <para>
/// A request is retried only if sending it again cannot do anything twice: its method is idempotent (GET, HEAD,
/// OPTIONS, TRACE, PUT, DELETE), or it never left this process (the connection could not be made), or its caller opted
/// in with <see cref="RetryNonIdempotent"/>. A POST that reached the server is never sent again: an MCP Streamable HTTP
/// POST is a JSON-RPC tool call, and a refund whose response was lost may have been paid; sending it again could pay it
/// twice. Its failure goes to the caller, which knows the outcome is unknown (governance never re-runs such a call).
/// </para>
/// An open circuit and a timeout surface as HttpClient's own errors do: an <see cref="HttpRequestException"/>
/// (<see cref="HttpRequestError.ConnectionError"/>: nothing was sent) and a <see cref="TaskCanceledException"/> with an
/// inner <see cref="TimeoutException"/>.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    /// <summary>Set to true on a request whose method is not idempotent but which is safe to send twice (it carries an idempotency key, say).</summary>
    public static readonly HttpRequestOptionsKey<bool> RetryNonIdempotent = new("AgentSuite.Resilience.RetryNonIdempotent");

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("AgentSuite.Resilience.Request");

    private readonly Pipelines _pipelines;
    private readonly string _client;

    /// <summary>A handler with its own circuit breakers; clients from <c>IHttpClientFactory</c> share theirs across handler lifetimes.</summary>
    public ResilienceHandler(HttpResilienceOptions options)
        : this(new Pipelines(_ => options), Options.DefaultName)
    {
    }

    private ResilienceHandler(Pipelines pipelines, string client)
    {
        _pipelines = pipelines;
        _client = client;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (pipeline, options) = _pipelines.For(_client, request.RequestUri);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken)), context, (Handler: this, Request: request));
        }
        catch (BrokenCircuitException e)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{Endpoint(request)} failed repeatedly, so calls to it are refused for now (circuit open). Nothing was sent; try again in a few seconds.", e);
        }
        catch (TimeoutRejectedException e) when (!cancellationToken.IsCancellationRequested)
        {
            var timeout = e.Timeout == options.AttemptTimeout ? $"the attempt timeout ({options.AttemptTimeout.TotalSeconds:0.###} s)" : $"the total timeout ({options.TotalTimeout.TotalSeconds:0.###} s)";
            throw new TaskCanceledException($"{request.Method} {Endpoint(request)} did not answer within {timeout}.", new TimeoutException(e.Message, e));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    internal static ResiliencePipeline<HttpResponseMessage> Build(HttpResilienceOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.TotalTimeout);
        }

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(MayRetry(args.Outcome, args.Context, options)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome)),
        });

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
        }

        return builder.Build();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests };

    private static bool MayRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, HttpResilienceOptions options)
    {
        if (!IsTransient(outcome) || !context.Properties.TryGetValue(RequestKey, out var request))
        {
            return false;
        }

        if (RetryAfter(outcome.Result) > options.MaxRetryDelay)
        {
            return false;
        }

        return IsIdempotent(request.Method)
            || (request.Options.TryGetValue(RetryNonIdempotent, out var optedIn) && optedIn)
            || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError };
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace
        || method == HttpMethod.Put || method == HttpMethod.Delete;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string Endpoint(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.GetLeftPart(UriPartial.Path) : request.RequestUri?.ToString() ?? "the endpoint";

    /// <summary>One pipeline per client and endpoint, kept for the app's life, so a breaker's state outlives the factory's handler rotation.</summary>
    internal sealed class Pipelines(Func<string, HttpResilienceOptions> options)
    {
        private readonly ConcurrentDictionary<(string Client, string Endpoint), (ResiliencePipeline<HttpResponseMessage>, HttpResilienceOptions)> _pipelines = new();

        public Pipelines(IOptionsMonitor<HttpResilienceOptions> monitor)
            : this(monitor.Get)
        {
        }

        public (ResiliencePipeline<HttpResponseMessage> Pipeline, HttpResilienceOptions Options) For(string client, Uri? uri) =>
            _pipelines.GetOrAdd((client, uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Authority) : ""), key =>
            {
                var settings = options(key.Client);
                return (Build(settings), settings);
            });

        public ResilienceHandler CreateHandler(string client) => new(this, client);
    }
}

public static class ResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Puts a <see cref="ResilienceHandler"/> first in the client's handler chain, with the client's named
    /// <see cref="HttpResilienceOptions"/>; on <c>ConfigureHttpClientDefaults</c> it applies to every client.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<HttpResilienceOptions>();
        builder.Services.TryAddSingleton(sp => new ResilienceHandler.Pipelines(sp.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>()));
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, o => o.HttpMessageHandlerBuilderActions.Add(handlers =>
            handlers.AdditionalHandlers.Add(handlers.Services.GetRequiredService<ResilienceHandler.Pipelines>().CreateHandler(handlers.Name ?? Options.DefaultName))));
        return builder;
    }
}
