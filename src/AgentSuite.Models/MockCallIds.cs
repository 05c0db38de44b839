namespace AgentSuite.Models;

/// <summary>How the mock names the tool calls it makes (<c>Model:CallIds</c>, <c>MockModel:CallIds</c>).</summary>
public enum MockCallIds
{
    /// <summary><c>call_1</c>, <c>call_2</c>, ... numbered on from the calls already in the conversation: the same on every run, so recordings and tests stay stable.</summary>
    Sequential,

    /// <summary><c>call_</c> and 24 random hex digits, new on every answer, as a real model's ids are: a test cannot pass because a repeated answer reuses an id.</summary>
    Random,
}
