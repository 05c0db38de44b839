namespace AgentSuite.Api.Auth;

/// <summary>Names the roles an endpoint accepts (any one of them), so a 403 and the API reference can say which.</summary>
internal sealed record RequiresRoleMetadata(IReadOnlyList<string> Roles)
{
    /// <summary><c>user</c>, or <c>user' or 'admin</c>: reads as "the 'user' or 'admin' role" between quotes.</summary>
    public string Names => string.Join("' or '", Roles);
}
