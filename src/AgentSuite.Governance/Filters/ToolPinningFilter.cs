using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Pinning;

namespace AgentSuite.Governance.Filters;

/// <summary>5. The tool's current definition must be the one an admin approved (or, in trust-on-first-use, the first one seen).</summary>
public sealed class ToolPinningFilter(ToolPinService pins) : IToolCallFilter
{
    public string Name => "pinning";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        if (context.GovernedTool.Descriptor.Provisional is { } reason)
        {
            return ToolCallOutcome.Denied(Name, $"{reason} '{context.Tool.Key}' was offered with a stand-in definition, which is neither pinned nor run.");
        }

        var hash = context.GovernedTool.DefinitionHash;
        var pin = await pins.ObserveAsync(context.GovernedTool, context.Policy.Options.Pinning.Mode, context.CancellationToken);
        if (context.Span is { } span)
        {
            span.PinStatus = !pin.IsBlocked ? "pinned" : pin.PinnedHash is null ? "unapproved" : "changed";
        }

        if (!pin.IsBlocked)
        {
            return await next(context);
        }

        return ToolCallOutcome.Denied(Name, pin.PinnedHash is null
            ? $"'{context.Tool.Key}' has not been approved by an admin yet (Pinning:Mode is {PinningMode.RequireApproval}); it cannot run until it is."
            : $"The definition of '{context.Tool.Key}' changed since it was approved (pinned sha256:{Short(pin.PinnedHash)}, now sha256:{Short(hash)}); it is blocked until an admin re-approves it.");
    }

    private static string Short(string hash) => hash[..12];
}
