namespace AgentSuite.Models;

/// <summary>Reads the <see cref="MockCallIds"/> setting, naming the key and the values it takes when the text is neither.</summary>
public static class MockCallIdsSetting
{
    /// <summary><see cref="MockCallIds.Sequential"/> when <paramref name="value"/> is empty; throws <see cref="InvalidOperationException"/> for an unknown value.</summary>
    public static MockCallIds Parse(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), "sequential", StringComparison.OrdinalIgnoreCase) ? MockCallIds.Sequential
            : string.Equals(value.Trim(), "random", StringComparison.OrdinalIgnoreCase) ? MockCallIds.Random
            : throw new InvalidOperationException($"{key} is '{value}'; give 'sequential' (the default: call_1, call_2, ... on every run) or 'random' (call_ and random hex digits, as a real model's ids are).");
}
