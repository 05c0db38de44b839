namespace AgentSuite.Cli.Api;

/// <summary>
/// Where the Api is and who is calling: an API key (header <c>X-Api-Key</c>), or in the Api's demo mode a name
/// (header <c>X-User</c>, <see cref="DefaultUser"/> when none is given), sent only when no key is given.
/// </summary>
public sealed record ApiConnection(Uri BaseAddress, string? ApiKey, string? User)
{
    public static readonly Uri DefaultBaseAddress = new("http://127.0.0.1:5080");

    /// <summary>The name sent in demo mode when none is given: the one the Api gives a read without <c>X-User</c>.</summary>
    public const string DefaultUser = "local-user";
}
