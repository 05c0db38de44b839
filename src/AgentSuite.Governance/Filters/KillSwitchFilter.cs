using AgentSuite.Governance.KillSwitch;

namespace AgentSuite.Governance.Filters;

/// <summary>1. Stops the call if a kill switch covers it: global, the calling agent, the tool's server, the tool, or the principal on whose behalf it runs.</summary>
public sealed class KillSwitchFilter(KillSwitchService killSwitch) : IToolCallFilter
{
    public string Name => "kill-switch";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var engaged = await killSwitch.FindEngagedAsync(context);
        return engaged is null
            ? await next(context)
            : ToolCallOutcome.Denied(Name, $"The kill switch '{engaged}' is engaged; no such calls run until an admin releases it.");
    }
}
