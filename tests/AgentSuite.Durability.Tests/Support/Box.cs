namespace AgentSuite.Durability.Tests.Support;

/// <summary>A struct as a reference, so a poll can say "not yet" with null.</summary>
public sealed record Box<T>(T Value);
