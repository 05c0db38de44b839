using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using AgentSuite.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Observability.Tests;

/// <summary>The resilience handler against a scripted inner handler: what it retries, what it never sends twice, when it stops calling.</summary>
public sealed class ResilienceHandlerTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/things");

    [Fact]
    public async Task GetIsRetriedAfterA503AndSucceeds()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        using var response = await Client(inner).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A400IsNotRetried()
    {
        var inner = new ScriptedHandler(HttpStatusCode.BadRequest, HttpStatusCode.OK);

        using var response = await Client(inner).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostThatReachedTheServerIsNotSentAgainAfterA5xx()
    {
        var inner = new ScriptedHandler(HttpStatusCode.InternalServerError, HttpStatusCode.OK);

        using var response = await Client(inner).PostAsync(Endpoint, new StringContent("{\"method\":\"tools/call\"}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task PostThatNeverLeftIsRetried()
    {
        var inner = new ScriptedHandler(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), HttpStatusCode.OK);

        using var response = await Client(inner).PostAsync(Endpoint, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task PostWhoseCallerOptedInIsRetriedAfterA503()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("{}") };
        request.Options.Set(ResilienceHandler.RetryNonIdempotent, true);

        using var response = await Client(inner).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A429WaitsAsLongAsRetryAfterAsks()
    {
        var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(400));
        var inner = new ScriptedHandler(limited, HttpStatusCode.OK);
        var clock = Stopwatch.StartNew();

        using var response = await Client(inner).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), $"retried after {clock.ElapsedMilliseconds} ms, before Retry-After");
    }

    [Fact]
    public async Task AnAttemptThatHangsTimesOutAndIsRetried()
    {
        var inner = new ScriptedHandler(Hang, HttpStatusCode.OK);

        using var response = await Client(inner, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(200)).GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task TimeoutSurfacesAsHttpClientsOwnTimeout()
    {
        var inner = new ScriptedHandler(Hang, Hang, Hang);

        var e = await Assert.ThrowsAsync<TaskCanceledException>(() =>
            Client(inner, o => (o.AttemptTimeout, o.TotalTimeout, o.MaxRetryAttempts) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), 5)).GetAsync(Endpoint));

        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Contains("did not answer within", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFailuresOpenTheCircuitAndLaterCallsFailWithoutBeingSent()
    {
        var inner = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var client = Client(inner, o => (o.BreakerMinimumThroughput, o.BreakerFailureRatio, o.BreakDuration) = (3, 0.5, TimeSpan.FromMinutes(1)));

        var first = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Endpoint));
        Assert.Equal(3, inner.Calls);
        Assert.Equal(HttpRequestError.ConnectionError, first.HttpRequestError);
        Assert.Contains("circuit open", first.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(Endpoint, "/other")));
        Assert.Equal(3, inner.Calls);

        // Another endpoint has its own circuit.
        using var elsewhere = await client.GetAsync(new Uri("http://127.0.0.2:9/things"));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task EveryHttpClientFactoryClientGetsTheHandlerFromTheServiceDefaults()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HttpResilience:RetryDelay"] = "00:00:00.001" });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        var inner = new ScriptedHandler(HttpStatusCode.BadGateway, HttpStatusCode.OK);
        builder.Services.AddHttpClient("model").ConfigurePrimaryHttpMessageHandler(() => inner);
        using var host = builder.Build();

        using var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("model").GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    private static readonly Func<CancellationToken, Task<HttpResponseMessage>> Hang = async cancellationToken =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new UnreachableException();
    };

    private static HttpClient Client(HttpMessageHandler inner, Action<HttpResilienceOptions>? configure = null)
    {
        var options = new HttpResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        return new HttpClient(new ResilienceHandler(options) { InnerHandler = inner });
    }

    /// <summary>Answers each call with the next scripted step: a status code, a response, an exception to throw, or a function.</summary>
    private sealed class ScriptedHandler(params object[] steps) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            return steps[Math.Min(call, steps.Length) - 1] switch
            {
                HttpStatusCode status => Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request }),
                HttpResponseMessage response => Task.FromResult(response),
                Exception e => Task.FromException<HttpResponseMessage>(e),
                Func<CancellationToken, Task<HttpResponseMessage>> run => run(cancellationToken),
                var other => throw new InvalidOperationException($"Unknown step {other}"),
            };
        }
    }
}
