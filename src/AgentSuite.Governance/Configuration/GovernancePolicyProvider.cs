using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Governance.Configuration;

/// <summary>
/// Hands out the compiled policy for the current configuration, recompiling when the configuration reloads.
/// An error while reading the configuration yields an invalid policy (deny everything), never the last good one.
/// Each compiled policy carries its <see cref="GovernancePolicyVersion"/>; a reload is compiled at once, so the
/// version's load time is when the change arrived, not when a call next asked.
/// </summary>
public sealed class GovernancePolicyProvider : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IOptionsMonitor<GovernanceOptions> _options;
    private readonly ILogger<GovernancePolicyProvider> _logger;
    private readonly TimeProvider _time;
    private readonly IDisposable? _reloads;
    private volatile Compiled? _compiled;

    public GovernancePolicyProvider(IOptionsMonitor<GovernanceOptions> options, ILogger<GovernancePolicyProvider> logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _reloads = options.OnChange(_ => Load());
    }

    public GovernancePolicy Current => Load().Policy;

    /// <summary>The version of the policy in force and when it came into force.</summary>
    public GovernancePolicyVersion Version => Load().Version;

    public void Dispose() => _reloads?.Dispose();

    private Compiled Load()
    {
        GovernanceOptions current;
        try
        {
            current = _options.CurrentValue;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OptionsValidationException)
        {
            // Binding failed (e.g. "ten" for a number): fail closed with the binder's own words.
            return Failed(ex);
        }

        var compiled = _compiled;
        if (compiled is not null && ReferenceEquals(current, compiled.Source))
        {
            return compiled;
        }

        lock (_gate)
        {
            compiled = _compiled;
            if (compiled is null || !ReferenceEquals(current, compiled.Source))
            {
                var previous = compiled?.Version;
                compiled = new Compiled(current, GovernancePolicy.Compile(current), Next(GovernancePolicyVersion.Of(current)));
                _compiled = compiled;
                if (compiled.Policy.Error is { } error)
                {
                    _logger.LogError("{Error}", error);
                }

                if (previous is not null && previous.Version != compiled.Version.Version)
                {
                    _logger.LogInformation("Governance policy {Version} is in force (was {Previous})", compiled.Version.Version, previous.Version);
                }
            }

            return compiled;
        }
    }

    // Kept like a compiled policy, so the same error is logged once and keeps the time it came into force.
    private Compiled Failed(Exception ex)
    {
        var version = GovernancePolicyVersion.OfError(ex.Message);
        lock (_gate)
        {
            if (_compiled is { Source: null } failed && failed.Version.Version == version)
            {
                return failed;
            }

            _logger.LogError(ex, "The Governance configuration cannot be read; denying every tool call");
            var compiled = new Compiled(null, GovernancePolicy.Invalid(new GovernanceOptions(), ex.Message), Next(version));
            _compiled = compiled;
            return compiled;
        }
    }

    // The same settings reloaded keep the time they first came into force.
    private GovernancePolicyVersion Next(string version) =>
        _compiled?.Version is { } previous && previous.Version == version ? previous : new GovernancePolicyVersion(version, _time.GetUtcNow());

    private sealed record Compiled(GovernanceOptions? Source, GovernancePolicy Policy, GovernancePolicyVersion Version);
}
