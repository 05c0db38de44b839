using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// Builds each input schema once: per governed tool without allocating, and per schema text across tools, so a tool
/// list fetched again reuses what was built. Building takes milliseconds; a call should take microseconds.
/// </summary>
internal sealed class ArgumentSchemaCache
{
    // A bound on distinct schema texts, since servers choose them; past it the cache starts over.
    private const int MaxSchemas = 512;

    private readonly ConditionalWeakTable<GovernedTool, ArgumentSchema> _byTool = [];
    private readonly ConcurrentDictionary<string, ArgumentSchema> _byText = new(StringComparer.Ordinal);

    public ArgumentSchema For(GovernedTool tool)
    {
        if (_byTool.TryGetValue(tool, out var schema))
        {
            return schema;
        }

        var json = tool.Inner.JsonSchema;
        var text = json.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "" : json.GetRawText();
        if (!_byText.TryGetValue(text, out schema))
        {
            if (_byText.Count >= MaxSchemas)
            {
                _byText.Clear();
            }

            schema = _byText.GetOrAdd(text, _ => ArgumentSchema.Build(json));
        }

        return _byTool.GetValue(tool, _ => schema);
    }
}
