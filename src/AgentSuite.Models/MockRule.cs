using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>One scripted scenario of one agent: when its pattern matches the latest user message, its steps drive the turn.</summary>
internal sealed record MockRule(string Agent, string? Name, Regex? When, IReadOnlyList<MockStep> Steps, int Line)
{
    public string Label => Name is null ? $"the rule at line {Line}" : $"rule '{Name}' (line {Line})";
}
