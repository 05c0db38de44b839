namespace AgentSuite.Api.Auth;

/// <summary>Names the role an endpoint requires, so a 403 can say which one was missing.</summary>
internal sealed record RequiresRoleMetadata(string Role);
