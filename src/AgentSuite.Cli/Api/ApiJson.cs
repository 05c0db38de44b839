using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>The Api's JSON: camelCase names, null fields omitted.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
