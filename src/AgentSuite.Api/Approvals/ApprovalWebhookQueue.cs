using System.Threading.Channels;
using AgentSuite.Governance.Approvals;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// Takes new approval requests for the webhook without waiting: a bounded queue that <see cref="ApprovalWebhookSender"/>
/// empties in the background. A full queue drops the newcomer with a warning rather than hold up the call that waits.
/// </summary>
internal sealed class ApprovalWebhookQueue : IApprovalNotifier
{
    private readonly Channel<ApprovalRequest> _channel;
    private readonly IOptionsMonitor<ApprovalNotifyOptions> _options;
    private readonly ILogger<ApprovalWebhookQueue> _logger;

    public ApprovalWebhookQueue(IOptionsMonitor<ApprovalNotifyOptions> options, ILogger<ApprovalWebhookQueue> logger)
    {
        _options = options;
        _logger = logger;
        _channel = Channel.CreateBounded<ApprovalRequest>(new BoundedChannelOptions(options.CurrentValue.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public ChannelReader<ApprovalRequest> Reader => _channel.Reader;

    public void Requested(ApprovalRequest request)
    {
        try
        {
            if (!_options.CurrentValue.Enabled)
            {
                return;
            }
        }
        catch (OptionsValidationException)
        {
            // Settings reloaded into an invalid state: queued all the same, so the sender records why it was not sent.
        }

        if (!_channel.Writer.TryWrite(request))
        {
            _logger.LogWarning("Approvers were not notified of approval {ApprovalId} for {Tool}: the notifications already waiting to be sent fill the queue (Governance:Approval:Notify:QueueCapacity). It is in the inbox.",
                request.Id, request.Tool);
        }
    }
}
