using System.Text.Json;

namespace AgentSuite.Governance.Audit;

/// <summary>The anchor's JSON: camelCase, indented, as the file holds it and the API exports it.</summary>
public static class AuditAnchorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Serialize(AuditAnchor anchor) => JsonSerializer.Serialize(anchor, Options);

    /// <summary>The anchor in <paramref name="json"/>; an <see cref="InvalidDataException"/> names what is wrong with it.</summary>
    public static AuditAnchor Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditAnchor>(json, Options) ?? throw new InvalidDataException($"{source} holds null, not an audit anchor.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not an audit anchor: {ex.Message}", ex);
        }
    }
}
