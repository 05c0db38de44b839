using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>The fingerprint that tool pinning compares: SHA-256 of the canonical name, description and input schema.</summary>
public static class ToolDefinition
{
    public static string Hash(AIFunction function)
    {
        var definition = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["name"] = function.Name,
            ["description"] = function.Description ?? "",
            ["inputSchema"] = function.JsonSchema,
        });
        return CanonicalJson.Sha256(definition);
    }
}
