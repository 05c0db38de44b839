namespace AgentSuite.Models;

/// <summary>A template referred to a value this conversation does not have; the mock turns it into a visible reply.</summary>
internal sealed class MissingValueException(string expression, string why) : Exception($"{{{{{expression}}}}} has no value: {why}")
{
    public string Expression { get; } = expression;

    public string Why { get; } = why;
}
