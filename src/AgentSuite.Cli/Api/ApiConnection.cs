namespace AgentSuite.Cli.Api;

/// <summary>
/// Where the Api is and who is calling: a bearer token from the company's identity provider (header
/// <c>Authorization: Bearer</c>), an API key (header <c>X-Api-Key</c>), or in the Api's demo mode a name (header
/// <c>X-User</c>, <see cref="DefaultUser"/> when none is given), sent only when neither a token nor a key is given.
/// </summary>
public sealed record ApiConnection(Uri BaseAddress, string? ApiKey, string? User)
{
    /// <summary>A bearer token; sent instead of the key when both are given.</summary>
    public string? Token { get; init; }

    public static readonly Uri DefaultBaseAddress = new("http://127.0.0.1:5080");

    /// <summary>The name sent in demo mode when none is given: the one the Api gives a read without <c>X-User</c>.</summary>
    public const string DefaultUser = "local-user";
}
