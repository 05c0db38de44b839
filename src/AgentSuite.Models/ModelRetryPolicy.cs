using System.ClientModel.Primitives;
using System.Globalization;

namespace AgentSuite.Models;

/// <summary>
/// The SDK's retry policy (which retries 408, 429, 5xx and failed connections) with the app's own delays: a server's
/// <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or a date) when it sends one, capped, else exponential backoff
/// with jitter from <see cref="OpenAIModelOptions.RetryDelay"/>.
/// </summary>
internal sealed class ModelRetryPolicy(int maxRetries, TimeSpan firstDelay, TimeSpan maxRetryAfter) : ClientRetryPolicy(maxRetries)
{
    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        if (message.Response is { } response && RetryAfter(response) is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > maxRetryAfter ? maxRetryAfter : asked;
        }

        var backoff = firstDelay * Math.Pow(2, Math.Max(0, tryCount - 1));
        return backoff * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static TimeSpan? RetryAfter(PipelineResponse response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow
            : null;
    }
}
