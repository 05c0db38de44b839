using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Filters;
using AgentSuite.Governance.IdleState;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GovernanceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the governed pipeline with the default filter order and binds <paramref name="section"/> (normally the
    /// <c>Governance</c> section) with reload on change. Stores come from a storage package, e.g. <c>AddSqliteGovernanceStores</c>.
    /// </summary>
    public static IServiceCollection AddGovernance(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<GovernanceOptions>().Bind(section);
        return services.AddGovernanceCore();
    }

    /// <summary>Registers the pipeline with options set in code (tests, samples).</summary>
    public static IServiceCollection AddGovernance(this IServiceCollection services, Action<GovernanceOptions> configure)
    {
        services.AddOptions<GovernanceOptions>().Configure(configure);
        return services.AddGovernanceCore();
    }

    private static IServiceCollection AddGovernanceCore(this IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GovernancePolicyProvider>();

        // This process among instances, and the hub where a shared store's changes arrive (quiet on a store of one process).
        services.TryAddSingleton(sp => AgentSuite.Governance.Cluster.InstanceIdentity.Current(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AgentSuite.Governance.Cluster.StoreChanges>();
        services.TryAddSingleton<AgentSuite.Governance.Cluster.IInstanceRegistry, AgentSuite.Governance.Cluster.LocalInstanceRegistry>();
        services.TryAddSingleton<KillSwitchService>();
        services.TryAddSingleton<ApprovalService>();
        services.TryAddSingleton<ToolPinService>();
        services.TryAddSingleton<GovernedToolFactory>();
        services.TryAddSingleton<AgentSuite.Governance.Budgets.TokenBudgetService>();
        services.TryAddSingleton<AgentSuite.Governance.Admission.TurnAdmission>();
        // In memory by default; a shared store (AddPostgresGovernanceStores) registers its own, so limits hold across instances.
        services.TryAddSingleton<AgentSuite.Governance.Limits.ILimitCounters, AgentSuite.Governance.Limits.MemoryLimitCounters>();
        services.TryAddSingleton<AgentSuite.Governance.Limits.AskRateLimiter>();
        services.AddAppTelemetry();

        // The order is the contract of shared/DESIGN.md: cheap refusals first, the audit last before the tool runs.
        services.AddSingleton<IToolCallFilter, KillSwitchFilter>();
        services.AddSingleton<IToolCallFilter, AllowListFilter>();
        services.AddSingleton<IToolCallFilter, ArgumentPolicyFilter>();
        services.AddSingleton<IToolCallFilter>(sp => sp.GetRequiredService<RateLimitFilter>());
        services.AddSingleton<IToolCallFilter, ToolPinningFilter>();
        services.AddSingleton<IToolCallFilter, ApprovalFilter>();
        services.AddSingleton<IToolCallFilter, IdempotencyFilter>();
        services.AddSingleton<IToolCallFilter, ResultScreeningFilter>();
        services.AddSingleton<IToolCallFilter, AuditFilter>();
        services.TryAddSingleton<GovernancePipeline>();

        // Per-conversation and per-run state is released once idle (Governance:IdleStateRelease).
        services.TryAddSingleton<RateLimitFilter>();
        services.AddSingleton<IIdleStateOwner>(sp => sp.GetRequiredService<AgentSuite.Governance.Limits.ILimitCounters>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IdleStateSweeper>());
        return services;
    }

    /// <summary>
    /// Binds <see cref="TelemetryOptions"/> from the <c>AgentSuite:Telemetry</c> section of the app's configuration
    /// (reloaded on change). <c>AddGovernance</c> calls it; call it yourself only without governance.
    /// Spans and metrics need no registration: they are on the <c>AgentSuite</c> source and meter whenever a listener
    /// (an OpenTelemetry provider) subscribes.
    /// </summary>
    public static IServiceCollection AddAppTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TelemetryOptions>, TelemetryOptionsFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<TelemetryOptions>, TelemetryOptionsFromConfiguration>());
        return services;
    }
}
