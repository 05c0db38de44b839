using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using AgentSuite.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AgentSuite.Observability.Tests;

/// <summary>
/// The standard resilience handler as <c>AddServiceDefaults</c> configures it for every <c>IHttpClientFactory</c> client,
/// against a scripted primary handler: what it retries, what it never sends twice, when it stops calling; and the
/// service discovery beside it.
/// </summary>
public sealed class ResilienceHandlerTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/things");

    [Fact]
    public async Task GetIsRetriedAfterA503AndSucceeds()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var host = Host(inner);

        using var response = await Client(host).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A400IsNotRetried()
    {
        var inner = new ScriptedHandler(HttpStatusCode.BadRequest, HttpStatusCode.OK);
        using var host = Host(inner);

        using var response = await Client(host).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostThatReachedTheServerIsNotSentAgainAfterA5xx()
    {
        var inner = new ScriptedHandler(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        using var host = Host(inner);

        using var response = await Client(host).PostAsync(Endpoint, new StringContent("{\"method\":\"tools/call\"}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostWhoseResponseWasLostIsNotSentAgain()
    {
        var inner = new ScriptedHandler(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), HttpStatusCode.OK);
        using var host = Host(inner);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => Client(host).PostAsync(Endpoint, new StringContent("{\"method\":\"tools/call\"}")));

        Assert.Equal(HttpRequestError.ResponseEnded, e.HttpRequestError);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostWhoseAttemptTimedOutIsNotSentAgain()
    {
        var inner = new ScriptedHandler(Hang, HttpStatusCode.OK);
        using var host = Host(inner, ("HttpResilience:AttemptTimeout:Timeout", "00:00:00.200"));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(host).PostAsync(Endpoint, new StringContent("{}")));

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostThatNeverLeftIsRetried()
    {
        var inner = new ScriptedHandler(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), HttpStatusCode.OK);
        using var host = Host(inner);

        using var response = await Client(host).PostAsync(Endpoint, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task PostWhoseCallerOptedInIsRetriedAfterA503()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var host = Host(inner);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("{}") };
        request.Options.Set(HttpResilience.RetryUnsafeMethod, true);

        using var response = await Client(host).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A429WaitsAsLongAsRetryAfterAsks()
    {
        var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        var inner = new ScriptedHandler(limited, HttpStatusCode.OK);
        var delays = new List<TimeSpan>();
        using var host = Host(inner, [], untimedClient: false, onRetry: delays.Add);

        using var response = await Client(host).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The backoff here is 1 ms, so a delay of a second can only be the server's Retry-After.
        Assert.Equal([TimeSpan.FromSeconds(1)], delays);
    }

    [Fact]
    public async Task AnAttemptThatHangsTimesOutAndIsRetried()
    {
        var inner = new ScriptedHandler(Hang, HttpStatusCode.OK);
        using var host = Host(inner, ("HttpResilience:AttemptTimeout:Timeout", "00:00:00.200"));

        using var response = await Client(host).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task AServerThatKeepsHangingIsAbandonedAtTheTotalTimeout()
    {
        var inner = new ScriptedHandler(Hang);
        using var host = Host(inner, ("HttpResilience:AttemptTimeout:Timeout", "00:00:00.100"), ("HttpResilience:TotalRequestTimeout:Timeout", "00:00:00.300"), ("HttpResilience:Retry:MaxRetryAttempts", "10"));

        var e = await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(host).GetAsync(Endpoint));

        Assert.Equal(TimeSpan.FromMilliseconds(300), e.Timeout);
    }

    [Fact]
    public async Task RepeatedFailuresOpenTheCircuitAndLaterCallsFailWithoutBeingSent()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var host = Host(inner, ("HttpResilience:CircuitBreaker:MinimumThroughput", "3"), ("HttpResilience:CircuitBreaker:BreakDuration", "00:01:00"));
        var client = Client(host);

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(Endpoint));
        Assert.Equal(3, inner.Calls);

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri(Endpoint, "/other")));
        Assert.Equal(3, inner.Calls);

        // Another endpoint has its own circuit.
        using var elsewhere = await client.GetAsync(new Uri("http://127.0.0.2:9/things"));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task AnUntimedClientWaitsForASlowAnswerThatTheDefaultsAbandon()
    {
        var slow = new ScriptedHandler(Slow, Slow);
        using var host = Host(slow, ("HttpResilience:AttemptTimeout:Timeout", "00:00:00.100"), ("HttpResilience:TotalRequestTimeout:Timeout", "00:00:00.300"));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(host).GetAsync(Endpoint));

        var untimed = new ScriptedHandler(Slow);
        using var mcp = Host(untimed, [("HttpResilience:AttemptTimeout:Timeout", "00:00:00.100"), ("HttpResilience:TotalRequestTimeout:Timeout", "00:00:00.300")], untimedClient: true);
        using var response = await Client(mcp).PostAsync(Endpoint, new StringContent("{\"method\":\"tools/call\"}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, untimed.Calls);
    }

    [Fact]
    public void NoClientHasAnHttpClientTimeoutBesideTheHandlersOwn()
    {
        // HttpClient.Timeout (100 s unless set) runs until the response headers arrive, which for a tool call is its first event.
        using var defaults = Host(new ScriptedHandler(HttpStatusCode.OK));
        Assert.Equal(Timeout.InfiniteTimeSpan, Client(defaults).Timeout);

        using var untimed = Host(new ScriptedHandler(HttpStatusCode.OK), [], untimedClient: true);
        Assert.Equal(Timeout.InfiniteTimeSpan, Client(untimed).Timeout);
    }

    [Fact]
    public async Task AnUnknownOrInconsistentSettingStopsTheAppAtStart()
    {
        using var unknown = Host(new ScriptedHandler(HttpStatusCode.OK), ("HttpResilience:MaxRetryAttempts", "3"));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => unknown.StartAsync());
        Assert.Contains("MaxRetryAttempts", e.Message, StringComparison.Ordinal);

        using var inconsistent = Host(new ScriptedHandler(HttpStatusCode.OK), ("HttpResilience:AttemptTimeout:Timeout", "00:01:00"));
        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => inconsistent.StartAsync());
        Assert.Contains("Total request timeout", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceNameIsResolvedThroughServiceDiscoveryAsAspireSetsIt()
    {
        var inner = new ScriptedHandler(HttpStatusCode.OK);
        using var host = Host(inner, ("services:billing:http:0", "http://127.0.0.1:5101"));

        using var response = await Client(host).GetAsync(new Uri("http://billing/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.1:5101/health"), inner.LastUri);
    }

    private static readonly Func<CancellationToken, Task<HttpResponseMessage>> Hang = async cancellationToken =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new UnreachableException();
    };

    /// <summary>Answers after a second: longer than the short timeouts these tests set, far shorter than a test's patience.</summary>
    private static readonly Func<CancellationToken, Task<HttpResponseMessage>> Slow = async cancellationToken =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return new HttpResponseMessage(HttpStatusCode.OK);
    };

    private static IHost Host(HttpMessageHandler inner, params (string Key, string Value)[] settings) => Host(inner, settings, untimedClient: false);

    /// <summary>
    /// A host with the service defaults and one client, "test", whose primary handler is <paramref name="inner"/>;
    /// <paramref name="onRetry"/> hears each retry's delay.
    /// </summary>
    private static IHost Host(HttpMessageHandler inner, (string Key, string Value)[] settings, bool untimedClient, Action<TimeSpan>? onRetry = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        var configuration = new Dictionary<string, string?> { ["HttpResilience:Retry:Delay"] = "00:00:00.001" };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        var client = builder.Services.AddHttpClient("test").ConfigurePrimaryHttpMessageHandler(() => inner);
        if (untimedClient)
        {
            client.AddUntimedResilienceHandler(builder.Configuration);
        }

        if (onRetry is not null)
        {
            builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.OnRetry = args =>
            {
                onRetry(args.RetryDelay);
                return ValueTask.CompletedTask;
            });
        }

        return builder.Build();
    }

    private static HttpClient Client(IHost host) => host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("test");

    /// <summary>Answers each call with the next scripted step: a status code, a response, an exception to throw, or a function.</summary>
    private sealed class ScriptedHandler(params object[] steps) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Uri? LastUri { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            LastUri = request.RequestUri;
            var response = steps[Math.Min(call, steps.Length) - 1] switch
            {
                HttpStatusCode status => new HttpResponseMessage(status),
                HttpResponseMessage scripted => scripted,
                Exception e => throw e,
                Func<CancellationToken, Task<HttpResponseMessage>> run => await run(cancellationToken),
                var other => throw new InvalidOperationException($"Unknown step {other}"),
            };
            response.RequestMessage = request;
            return response;
        }
    }
}
