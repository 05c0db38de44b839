using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// Binds <see cref="TelemetryOptions"/> from the app's <see cref="IConfiguration"/> (section
/// <see cref="TelemetryOptions.SectionName"/>) and reloads with it. Without a configuration in the container (tests,
/// console samples) the defaults apply, so registering governance never requires one.
/// </summary>
internal sealed class TelemetryOptionsFromConfiguration(IConfiguration? configuration = null)
    : IConfigureOptions<TelemetryOptions>, IOptionsChangeTokenSource<TelemetryOptions>
{
    private static readonly CancellationChangeToken Never = new(CancellationToken.None);

    public string? Name => Options.DefaultName;

    public void Configure(TelemetryOptions options) => configuration?.GetSection(TelemetryOptions.SectionName).Bind(options);

    public IChangeToken GetChangeToken() => configuration?.GetReloadToken() ?? Never;
}
