namespace AgentSuite.ServiceDefaults;

/// <summary>
/// The resilience of outgoing HTTP calls made through <c>IHttpClientFactory</c> (section <c>HttpResilience</c>; a named
/// client can have its own with <c>services.Configure&lt;HttpResilienceOptions&gt;(name, ...)</c>). Read when a client
/// first calls an endpoint. <see cref="Timeout.InfiniteTimeSpan"/> switches a timeout off.
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string Section = "HttpResilience";

    /// <summary>Retries after the first attempt, for transient failures only (see <see cref="ResilienceHandler"/>).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The median first delay; each retry roughly doubles it, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait is longer; a <c>Retry-After</c> asking for more is returned to the caller instead of waited for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One attempt, until the response headers arrive.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>All attempts and the waits between them.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when at least this share of the sampled attempts to one endpoint failed...</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>...out of at least this many...</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>...within this window.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While open, calls to the endpoint fail at once; then one trial call decides whether it closes.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
