using AgentSuite.Governance.Approvals;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Approvals;

internal static class ApprovalNotificationServiceCollectionExtensions
{
    /// <summary>
    /// The approval webhook (<c>Governance:Approval:Notify</c>, checked at start) and the links approvals carry. Its client
    /// has no resilience handler: the sender's own loop is the only retry, so <c>MaxAttempts</c> means what it says.
    /// </summary>
    public static IServiceCollection AddApprovalNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalNotifyOptions>().Bind(configuration.GetSection(ApprovalNotifyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApprovalNotifyOptions>, ApprovalNotifyOptionsValidator>();
        services.AddSingleton<ApprovalLinks>();
        services.AddSingleton<AgentSuite.Api.Endpoints.ApprovalViews>();
        services.AddSingleton<ApprovalWebhookQueue>();
        services.AddSingleton<IApprovalNotifier>(sp => sp.GetRequiredService<ApprovalWebhookQueue>());
        services.AddHostedService<ApprovalWebhookSender>();

#pragma warning disable EXTEXP0001 // Experimental, and the documented way to drop the handler ConfigureHttpClientDefaults added.
        services.AddHttpClient(ApprovalWebhookSender.HttpClientName)
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient(static c => c.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001
        return services;
    }
}
