using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Governance.Configuration;

/// <summary>
/// Hands out the compiled policy for the current configuration, recompiling when the configuration reloads.
/// An error while reading the configuration yields an invalid policy (deny everything), never the last good one.
/// </summary>
public sealed class GovernancePolicyProvider(IOptionsMonitor<GovernanceOptions> options, ILogger<GovernancePolicyProvider> logger)
{
    private readonly Lock _gate = new();
    private volatile Compiled? _compiled;

    public GovernancePolicy Current
    {
        get
        {
            GovernanceOptions current;
            try
            {
                current = options.CurrentValue;
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or OptionsValidationException)
            {
                // Binding failed (e.g. "ten" for a number): fail closed with the binder's own words.
                logger.LogError(ex, "The Governance configuration cannot be read; denying every tool call");
                return GovernancePolicy.Invalid(new GovernanceOptions(), ex.Message);
            }

            var compiled = _compiled;
            if (compiled is not null && ReferenceEquals(current, compiled.Source))
            {
                return compiled.Policy;
            }

            lock (_gate)
            {
                compiled = _compiled;
                if (compiled is null || !ReferenceEquals(current, compiled.Source))
                {
                    compiled = new Compiled(current, GovernancePolicy.Compile(current));
                    _compiled = compiled;
                    if (compiled.Policy.Error is { } error)
                    {
                        logger.LogError("{Error}", error);
                    }
                }

                return compiled.Policy;
            }
        }
    }

    private sealed record Compiled(GovernanceOptions Source, GovernancePolicy Policy);
}
