using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// The fingerprint that tool pinning compares: SHA-256 of the canonical name, description, input schema and MCP
/// annotations. Annotations are included because they change governance (a tool that starts claiming to be
/// read-only escapes idempotency and destructive-tool approval rules).
/// </summary>
public static class ToolDefinition
{
    public static string Hash(AIFunction function, ToolAnnotations annotations) => CanonicalJson.Sha256(Element(function, annotations));

    /// <summary>The definition that is hashed, as canonical JSON text: what a pin keeps so a change can be shown, not only detected.</summary>
    public static string Json(AIFunction function, ToolAnnotations annotations) => CanonicalJson.ToString(Element(function, annotations));

    private static JsonElement Element(AIFunction function, ToolAnnotations annotations) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["name"] = function.Name,
            ["description"] = function.Description ?? "",
            ["inputSchema"] = function.JsonSchema,
            ["annotations"] = new Dictionary<string, bool?>
            {
                ["readOnlyHint"] = annotations.ReadOnlyHint,
                ["destructiveHint"] = annotations.DestructiveHint,
                ["idempotentHint"] = annotations.IdempotentHint,
                ["openWorldHint"] = annotations.OpenWorldHint,
            },
        });
}
