namespace AgentSuite.Api.Approvals;

/// <summary>
/// The <c>Governance:Approval:Notify</c> section: where to post a notification when a call starts waiting for a person,
/// how to sign it, and how hard to try. Without <see cref="Url"/> nothing is sent.
/// </summary>
public sealed class ApprovalNotifyOptions
{
    public const string Section = "Governance:Approval:Notify";

    /// <summary>The receiver (absolute http or https); unset means no notifications.</summary>
    public string? Url { get; set; }

    /// <summary>When set, each notification carries an HMAC-SHA256 signature header made with it.</summary>
    public string? Secret { get; set; }

    /// <summary>The page's address as approvers reach it, for the links; default the Api's own address.</summary>
    public string? PageUrl { get; set; }

    /// <summary>
    /// Whether the payload carries <c>request</c>, the customer's message (redacted and capped at 500 characters). Off by
    /// default: the receiver (a chat channel, a mail relay) may be read by more people than the approvers.
    /// </summary>
    public bool IncludeRequest { get; set; }

    /// <summary>Attempts per notification, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>No attempt starts later than this after the first.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The backoff before the second attempt; it doubles each time, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one attempt may take before it counts as failed (a receiver that hangs).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Notifications waiting to be sent; beyond this a new one is dropped with a warning.</summary>
    public int QueueCapacity { get; set; } = 1000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
