namespace AgentSuite.Governance.Filters;

/// <summary>2. Default deny: the agent may call only tools its allow-list names, minus its deny-list.</summary>
public sealed class AllowListFilter : IToolCallFilter
{
    public string Name => "allow-list";

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        if (context.Policy.IsAllowed(context.Agent, context.Tool.Key))
        {
            return next(context);
        }

        var reason = context.Policy.Agents.ContainsKey(context.Agent)
            ? $"Agent '{context.Agent}' is not allowed to call '{context.Tool.Key}'."
            : $"Agent '{context.Agent}' has no allow-list (Governance:Agents:{context.Agent}), so it may call no tools.";
        return ValueTask.FromResult(ToolCallOutcome.Denied(Name, reason));
    }
}
