using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests.Cluster.Support;

/// <summary>
/// The API keys every instance is given (<c>Auth:Keys</c>), so the requester and the approver are different principals
/// whichever instance each of them reaches: alice asks, bob approves, root engages kill switches.
/// </summary>
public static class ClusterCallers
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string Root = "root";

    private static readonly (string Name, string Role)[] Callers = [(Alice, "user"), (Bob, "approver"), (Root, "admin")];

    public static IReadOnlyDictionary<string, string?> ApiSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < Callers.Length; i++)
            {
                settings[$"Auth:Keys:{i}:Name"] = Callers[i].Name;
                settings[$"Auth:Keys:{i}:Key"] = KeyOf(Callers[i].Name);
                settings[$"Auth:Keys:{i}:Roles:0"] = Callers[i].Role;
            }

            return settings;
        }
    }

    public static string KeyOf(string caller) => $"{caller}-cluster-key-0123456789";

    /// <summary>A client of <paramref name="api"/> sending <paramref name="caller"/>'s key on every request.</summary>
    public static HttpClient As(this DurableApi api, string caller)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Add("X-Api-Key", KeyOf(caller));
        return client;
    }
}
