using Json.Schema;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// How deeply arguments may nest under a recursive schema. One level of evaluation may lead into the same part of the
/// arguments (one property, or the items) along several paths; each way is evaluated in full, so the work on a value
/// grows as that number raised to its depth, and the depth is capped where it would pass the evaluation limit.
/// </summary>
internal static class SchemaLevels
{
    private const string AnyItem = "[]";
    private const string AnyProperty = "{}";

    /// <summary>The part of a value a descending keyword applies its subschema to: a named property, any property, or any item.</summary>
    public static string Part(string keyword, JsonSchemaNode child) => keyword switch
    {
        "properties" => "." + (ShownValue.Segments(child.RelativePath) is [.., var name] ? name : ""),
        "patternProperties" or "additionalProperties" or "unevaluatedProperties" or "propertyNames" => AnyProperty,
        _ => AnyItem,
    };

    /// <summary>
    /// The most levels the arguments may nest, at most depthLimit: while one level leads into one part of the
    /// arguments in at most one way, depthLimit; otherwise fewer, so perLevel times the ways to that power stays within
    /// <see cref="ArgumentSchema.MaxEvaluationPaths"/>.
    /// </summary>
    public static int MaxLevels(List<int> entries, List<List<int>> sameValue, List<List<string>> parts, int perLevel, int depthLimit)
    {
        var memo = new Dictionary<int, Dictionary<string, int>>();
        var ways = entries.Max(node => MostWays(Ways(node, sameValue, parts, memo)));
        if (ways <= 1)
        {
            return depthLimit;
        }

        var levels = 0;
        for (long cost = perLevel; levels < depthLimit && cost * ways <= ArgumentSchema.MaxEvaluationPaths; cost *= ways)
        {
            levels++;
        }

        return levels;
    }

    // A named property also meets every subschema for any property; items share one part.
    private static int MostWays(Dictionary<string, int> ways)
    {
        var anyProperty = ways.GetValueOrDefault(AnyProperty);
        var named = ways.Where(way => way.Key.StartsWith('.')).Select(way => way.Value).DefaultIfEmpty(0).Max();
        return Math.Max(ways.GetValueOrDefault(AnyItem), Math.Min(anyProperty + named, ArgumentSchema.MaxEvaluationPaths + 1));
    }

    // For each part, how many paths from this subschema through the same value lead into it (capped past the limit).
    // Recursion here is bounded by the same-value chain, already checked to be at most MaxEvaluationDepth long.
    private static Dictionary<string, int> Ways(int node, List<List<int>> sameValue, List<List<string>> parts, Dictionary<int, Dictionary<string, int>> memo)
    {
        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        if (parts[node].Count == 0 && sameValue[node] is [var only])
        {
            // A plain $ref: shared rather than copied, so many refs to one large subschema stay cheap.
            return memo[node] = Ways(only, sameValue, parts, memo);
        }

        var ways = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts[node])
        {
            Add(ways, part, 1);
        }

        foreach (var child in sameValue[node])
        {
            foreach (var (part, count) in Ways(child, sameValue, parts, memo))
            {
                Add(ways, part, count);
            }
        }

        memo[node] = ways;
        return ways;
    }

    private static void Add(Dictionary<string, int> ways, string part, int count) =>
        ways[part] = Math.Min(ways.GetValueOrDefault(part) + count, ArgumentSchema.MaxEvaluationPaths + 1);
}
