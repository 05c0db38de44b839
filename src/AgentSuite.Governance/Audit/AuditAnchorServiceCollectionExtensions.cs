using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class AuditAnchorServiceCollectionExtensions
{
    /// <summary>
    /// Anchors the audit chain's head outside the database (docs/governance.md, "The audit anchor"): wraps the
    /// registered <see cref="IAuditStore"/> so appends are tracked, and registers the anchor's key, its sink (a file,
    /// unless an <see cref="IAuditAnchorSink"/> is registered) and <see cref="AuditAnchorService"/>, which checks the chain
    /// at start. Call it after the audit store's registration and before any other hosted service that appends, so the
    /// check runs first. <paramref name="defaultFolder"/> holds the key and anchor files unless
    /// <c>Governance:Audit:Anchor</c> names others: the database's folder, beside the database file, not inside it.
    /// </summary>
    public static IServiceCollection AddAuditAnchor(this IServiceCollection services, string defaultFolder)
    {
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IAuditStore))
            ?? throw new InvalidOperationException("Register an audit store (e.g. AddSqliteGovernanceStores) before AddAuditAnchor.");
        services.Remove(store);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AuditAnchorHead { EveryEntries = Math.Max(1, Options(sp).EveryEntries) });
        services.AddSingleton<IAuditStore>(sp => new AnchoredAuditStore(Resolve(sp, store), sp.GetRequiredService<AuditAnchorHead>()));
        services.AddSingleton(sp => AuditAnchorKey.Load(
            Options(sp).Key,
            InFolder(Options(sp).KeyFile, defaultFolder, "audit-anchor.key"),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AuditAnchorKey>()));
        services.TryAddSingleton<IAuditAnchorSink>(sp => new FileAuditAnchorSink(InFolder(Options(sp).File, defaultFolder, "audit-anchor.json")));
        services.AddSingleton<AuditAnchorService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AuditAnchorService>());
        return services;
    }

    private static AuditAnchorOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<GovernanceOptions>>().Value.Audit.Anchor;

    /// <summary>A configured path (relative ones under <paramref name="folder"/>), or <paramref name="name"/> in it.</summary>
    private static string InFolder(string? configured, string folder, string name) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? name : configured, folder);

    private static IAuditStore Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IAuditStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.GetServiceOrCreateInstance(services, descriptor.ImplementationType!));
}
