using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// Posts each queued approval to <c>Governance:Approval:Notify:Url</c>, several at a time so one slow receiver does not
/// hold up the rest. Network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and jitter (a
/// Retry-After is honoured) until <c>MaxAttempts</c> or <c>GiveUpAfter</c>; then a warning is logged and the audit gets an
/// <c>approval.notify_failed</c> entry, so a request nobody heard of shows on the record next to it. Any other failure
/// (settings reloaded into an invalid state, a handler that throws) is logged as an error and recorded the same way. Every attempt of one
/// notification carries the same <c>X-AgentSuite-Delivery</c> id, for receivers to drop repeats.
/// </summary>
internal sealed class ApprovalWebhookSender(
    ApprovalWebhookQueue queue,
    IHttpClientFactory clients,
    ApprovalLinks links,
    IAuditStore audit,
    IOptionsMonitor<ApprovalNotifyOptions> options,
    TimeProvider time,
    ILogger<ApprovalWebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "approval-webhook";
    public const string FailedKind = "approval.notify_failed";
    public const string EventHeader = "X-AgentSuite-Event";
    public const string DeliveryHeader = "X-AgentSuite-Delivery";
    private const int Parallel = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallel);
        var running = new List<Task>();
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await DeliverAsync(request, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: notifications still queued are not sent (the requests are in the inbox and the store).
        }

        await Task.WhenAll(running);
    }

    /// <summary>
    /// Sends one notification, retrying as configured. Whatever goes wrong (settings reloaded into an invalid state, a
    /// handler that throws) ends in <see cref="GiveUpAsync"/>: a notification is never lost without a log and an audit entry.
    /// </summary>
    private async Task DeliverAsync(ApprovalRequest request, CancellationToken stoppingToken)
    {
        var attempt = 0;
        string? host = null;
        try
        {
            var settings = options.CurrentValue;
            if (!settings.Enabled)
            {
                return;
            }

            var url = new Uri(settings.Url!);
            host = url.Host;
            var body = JsonSerializer.SerializeToUtf8Bytes(ApprovalNotification.From(request, links.BaseForNotification(), settings.IncludeRequest), Json);
            var delivery = Guid.NewGuid().ToString("N");
            var started = time.GetTimestamp();
            var client = clients.CreateClient(HttpClientName);
            while (true)
            {
                attempt++;
                var (sent, failure, retryable, retryAfter) = await AttemptAsync(client, url, body, delivery, settings, stoppingToken);
                if (sent)
                {
                    logger.LogDebug("Approval {ApprovalId} notified to {Host} on attempt {Attempt}", request.Id, host, attempt);
                    return;
                }

                var delay = retryAfter ?? Backoff(settings, attempt);
                if (!retryable || attempt >= settings.MaxAttempts || time.GetElapsedTime(started) + delay > settings.GiveUpAfter)
                {
                    await GiveUpAsync(request, host, attempt, failure, null);
                    return;
                }

                logger.LogDebug("Approval {ApprovalId} notification attempt {Attempt} failed ({Failure}); retrying in {Delay}", request.Id, attempt, failure, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the request is in the inbox and the store.
        }
        catch (Exception ex)
        {
            await GiveUpAsync(request, host, attempt, $"it could not be sent ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>One POST: sent, or why not, whether that is worth another try, and when the receiver asked to be tried again.</summary>
    private async Task<(bool Sent, string Failure, bool Retryable, TimeSpan? RetryAfter)> AttemptAsync(
        HttpClient client, Uri url, byte[] body, string delivery, ApprovalNotifyOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            attemptTimeout.CancelAfter(settings.AttemptTimeout);
            using var message = Message(url, body, delivery, settings.Secret, time.GetUtcNow());
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return (true, "", false, null);
            }

            var answered = $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
            return Retryable(response.StatusCode) ? (false, answered, true, RetryAfter(response.Headers.RetryAfter)) : (false, answered, false, null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (false, $"the receiver did not answer within {settings.AttemptTimeout}", true, null);
        }
        catch (HttpRequestException ex)
        {
            return (false, $"the request failed: {ex.Message}", true, null);
        }
    }

    private static HttpRequestMessage Message(Uri url, byte[] body, string delivery, string? secret, DateTimeOffset now)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.Add(EventHeader, ApprovalNotification.RequestedType);
        message.Headers.Add(DeliveryHeader, delivery);
        if (!string.IsNullOrEmpty(secret))
        {
            // Signed at each attempt, so the timestamp a receiver checks is the time of sending.
            message.Headers.Add(ApprovalWebhookSignature.Header, ApprovalWebhookSignature.Create(secret, now, body));
        }

        return message;
    }

    private async Task GiveUpAsync(ApprovalRequest request, string? host, int attempts, string failure, Exception? error)
    {
        var reason = $"Approvers were not notified of approval {request.Id}{(host is null ? "" : $" at {host}")}"
            + (attempts == 0 ? "" : $" after {attempts} attempt{(attempts == 1 ? "" : "s")}")
            + $": {failure}. It waits in the inbox.";
        if (error is null)
        {
            logger.LogWarning("{Reason}", reason);
        }
        else
        {
            logger.LogError(error, "{Reason}", reason);
        }

        try
        {
            var data = new Dictionary<string, object> { ["approvalId"] = request.Id, ["attempts"] = attempts };
            if (host is not null)
            {
                data["host"] = host;
            }

            await audit.AppendAsync(new AuditEntry(FailedKind, time.GetUtcNow())
            {
                ConversationId = request.ConversationId,
                RunId = request.RunId,
                Agent = request.Agent,
                Principal = "system",
                Tool = request.Tool,
                ToolCallId = request.ToolCallId,
                Reason = reason,
                Data = JsonSerializer.SerializeToElement(data),
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The audit could not record that approval {ApprovalId} was not notified", request.Id);
        }
    }

    private static bool Retryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>First × 2^(attempt − 1), capped, then half of it fixed and half random: retries of many notifications spread out.</summary>
    private static TimeSpan Backoff(ApprovalNotifyOptions settings, int attempt)
    {
        var exponential = settings.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, settings.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
