using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentSuite.Governance.Configuration;

/// <summary>
/// Which governance policy is in force: the first 12 hex digits of the SHA-256 of the bound <see cref="GovernanceOptions"/>
/// as canonical JSON (so the same settings give the same version on every instance, whatever the file's layout), and
/// when that version came into force here.
/// </summary>
public sealed record GovernancePolicyVersion(string Version, DateTimeOffset LoadedAt)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string Of(GovernanceOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options, Json)!;

        // The audit anchor's signing key is a secret: the version must not be a clue to it.
        node["Audit"]?["Anchor"]?.AsObject().Remove("Key");
        return Short(CanonicalJson.Sha256(JsonSerializer.SerializeToElement(node)));
    }

    /// <summary>The version of a configuration that could not even be read: a hash of why, so a fix shows as a new version.</summary>
    public static string OfError(string error) => Short(Hashing.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(error)));

    private static string Short(string hash) => hash[..12];
}
