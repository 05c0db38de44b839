namespace AgentSuite.Models;

/// <summary>A template referred to a value this conversation does not have; the mock reports it as a <see cref="MockScriptMissException"/>.</summary>
internal sealed class MissingValueException(string expression, string why) : Exception($"{{{{{expression}}}}} has no value: {why}")
{
    public string Expression { get; } = expression;

    public string Why { get; } = why;
}
