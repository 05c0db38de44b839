using AgentSuite.Governance.Policy;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 3. The arguments must match the tool's JSON schema (JsonSchema.Net, built once per schema), then every configured constraint for the tool must hold.
/// A constraint that cannot be evaluated (argument missing, wrong type) fails: policy errors fail closed.
/// </summary>
public sealed class ArgumentPolicyFilter : IToolCallFilter
{
    private readonly ArgumentSchemaCache _schemas = new();

    public string Name => "arguments";

    public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        var schema = _schemas.For(context.GovernedTool);
        if (schema.Problem is { } problem)
        {
            return Deny($"The input schema of '{context.Tool.Key}' cannot be used, so its calls are denied: {problem}.");
        }

        var errors = schema.Validate(context.ArgumentsJson);
        if (errors.Count > 0)
        {
            return Deny($"The arguments do not match the schema of '{context.Tool.Key}': {string.Join("; ", errors)}.");
        }

        foreach (var constraint in context.Policy.Constraints)
        {
            if (!constraint.Tool.IsMatch(context.Tool.Key))
            {
                continue;
            }

            var value = constraint.Condition.Evaluate(context.ArgumentsJson);
            if (value == ConditionValue.True)
            {
                continue;
            }

            var why = value == ConditionValue.False
                ? $"The arguments break the rule '{constraint.Condition.Text}' for '{context.Tool.Key}'."
                : $"The rule '{constraint.Condition.Text}' for '{context.Tool.Key}' cannot be checked: an argument it reads ({string.Join(", ", constraint.Condition.ArgumentNames)}) is missing or of the wrong type.";
            return Deny(constraint.Message is null ? why : $"{why} {constraint.Message}");
        }

        return next(context);
    }

    private ValueTask<ToolCallOutcome> Deny(string reason) => ValueTask.FromResult(ToolCallOutcome.Denied(Name, reason));
}
