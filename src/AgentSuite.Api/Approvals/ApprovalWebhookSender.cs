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
/// <c>approval.notify_failed</c> entry, so a request nobody heard of shows on the record next to it. Every attempt of one
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

    private async Task DeliverAsync(ApprovalRequest request, CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return;
        }

        var url = new Uri(settings.Url!);
        var body = JsonSerializer.SerializeToUtf8Bytes(ApprovalNotification.From(request, links.BaseForNotification()), Json);
        var delivery = Guid.NewGuid().ToString("N");
        var started = time.GetTimestamp();
        var client = clients.CreateClient(HttpClientName);
        string failure;
        var attempt = 0;
        while (true)
        {
            attempt++;
            TimeSpan? retryAfter = null;
            try
            {
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attemptTimeout.CancelAfter(settings.AttemptTimeout);
                using var message = Message(url, body, delivery, settings.Secret, time.GetUtcNow());
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    logger.LogDebug("Approval {ApprovalId} notified to {Host} on attempt {Attempt}", request.Id, url.Host, attempt);
                    return;
                }

                failure = $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
                if (!Retryable(response.StatusCode))
                {
                    break;
                }

                retryAfter = RetryAfter(response.Headers.RetryAfter);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                failure = $"the receiver did not answer within {settings.AttemptTimeout}";
            }
            catch (HttpRequestException ex)
            {
                failure = $"the request failed: {ex.Message}";
            }

            var delay = retryAfter ?? Backoff(settings, attempt);
            if (attempt >= settings.MaxAttempts || time.GetElapsedTime(started) + delay > settings.GiveUpAfter)
            {
                break;
            }

            logger.LogDebug("Approval {ApprovalId} notification attempt {Attempt} failed ({Failure}); retrying in {Delay}", request.Id, attempt, failure, delay);
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await GiveUpAsync(request, url, attempt, failure);
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

    private async Task GiveUpAsync(ApprovalRequest request, Uri url, int attempts, string failure)
    {
        var reason = $"Approvers were not notified of approval {request.Id} at {url.Host} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {failure}. It waits in the inbox.";
        logger.LogWarning("{Reason}", reason);
        try
        {
            await audit.AppendAsync(new AuditEntry(FailedKind, time.GetUtcNow())
            {
                ConversationId = request.ConversationId,
                RunId = request.RunId,
                Agent = request.Agent,
                Principal = "system",
                Tool = request.Tool,
                ToolCallId = request.ToolCallId,
                Reason = reason,
                Data = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["approvalId"] = request.Id, ["attempts"] = attempts, ["host"] = url.Host }),
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
