using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// What a built schema's graph of subschemas allows: whether evaluating it always ends within the stack, whether the
/// subschemas one value can meet stay few enough to evaluate on every call, and, when it is recursive, how deeply the
/// arguments may nest (null: any depth). Also gives every pattern a time limit.
/// </summary>
internal readonly record struct SchemaShape(string? Problem, int? MaxLevels)
{
    // Keywords that apply their subschemas to a part of the value (a property, an item, a property name), so a loop
    // through them ends when the arguments do.
    private static readonly HashSet<string> Descending = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames",
        "items", "prefixItems", "additionalItems", "unevaluatedItems", "contains",
    };

    // Subschemas kept for $ref to point at; they are never applied where they stand.
    private static readonly HashSet<string> Stored = new(StringComparer.Ordinal) { "$defs", "definitions" };

    public static SchemaShape Inspect(JsonSchemaNode root)
    {
        var index = new Dictionary<JsonSchemaNode, int>(ReferenceEqualityComparer.Instance) { [root] = 0 };
        var nodes = new List<JsonSchemaNode> { root };
        var sameValue = new List<List<int>> { new() };
        var descending = new List<List<int>> { new() };
        var parts = new List<List<string>> { new() };
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var keyword in nodes[i].Keywords)
            {
                var name = keyword.Handler.Name;
                if (Check(keyword, name) is { } problem)
                {
                    return new SchemaShape(problem, null);
                }

                foreach (var child in keyword.Subschemas)
                {
                    if (!index.TryGetValue(child, out var j))
                    {
                        j = index[child] = nodes.Count;
                        nodes.Add(child);
                        sameValue.Add([]);
                        descending.Add([]);
                        parts.Add([]);
                    }

                    if (Descending.Contains(name))
                    {
                        descending[i].Add(j);
                        parts[i].Add(SchemaLevels.Part(name, child));
                    }
                    else if (!Stored.Contains(name))
                    {
                        sameValue[i].Add(j);
                    }
                }
            }
        }

        // A loop that never moves into the arguments would recurse until the process dies.
        var chain = Paths(sameValue, []);
        if (chain is null)
        {
            return new SchemaShape("a $ref leads back to itself without moving into the arguments, so it would never end", null);
        }

        var levelDepth = chain.Value.Longest.Max();
        if (levelDepth > ArgumentSchema.MaxEvaluationDepth)
        {
            return new SchemaShape($"subschemas nest more than {ArgumentSchema.MaxEvaluationDepth} levels deep", null);
        }

        var whole = Paths(sameValue, descending);
        if (whole is null)
        {
            // Recursive through properties or items: each level of the arguments starts again at the root or at a
            // subschema reached by moving into them, so what one level costs, and how many ways it leads into the same
            // part of the arguments, bound the work per value at each depth.
            var entries = descending.SelectMany(targets => targets).Append(0).Distinct().ToList();
            var perLevel = entries.Max(node => chain.Value.Count[node]);
            if (perLevel > ArgumentSchema.MaxEvaluationPaths)
            {
                return TooManyPaths();
            }

            var levels = SchemaLevels.MaxLevels(entries, sameValue, parts, perLevel, ArgumentSchema.MaxEvaluationDepth / levelDepth - 1);
            return new SchemaShape(null, levels);
        }

        if (whole.Value.Longest[0] > ArgumentSchema.MaxEvaluationDepth)
        {
            return new SchemaShape($"subschemas nest more than {ArgumentSchema.MaxEvaluationDepth} levels deep", null);
        }

        return whole.Value.Count[0] > ArgumentSchema.MaxEvaluationPaths ? TooManyPaths() : new SchemaShape(null, null);
    }

    // Evaluation applies a subschema once per path that reaches it, so $refs shared along a chain multiply the work.
    private static SchemaShape TooManyPaths() => new(
        $"its $refs branch and rejoin into more than {ArgumentSchema.MaxEvaluationPaths} subschema evaluations for one value, too many to run on every call", null);

    private static string? Check(KeywordData keyword, string name)
    {
        switch (name)
        {
            case "$ref" when keyword.Subschemas.Length == 0 || IsElsewhere(keyword.Subschemas[0]):
                return $"the $ref {ShownValue.Quote(keyword.RawValue.ToString())} cannot be resolved; only references inside the schema are followed";
            case "$dynamicRef" or "$recursiveRef":
                return $"it uses {name}, which tool argument checks do not support";
            case "pattern" when keyword.Value is Regex pattern:
                keyword.Value = Bounded(pattern);
                return null;
            case "patternProperties" when keyword.Value is Dictionary<string, Regex> patterns:
                foreach (var key in patterns.Keys.ToList())
                {
                    patterns[key] = Bounded(patterns[key]);
                }

                return null;
            case "pattern" or "patternProperties":
                return $"its {name} cannot be given a time limit";
            default:
                return null;
        }
    }

    // A target in the process-wide registry (a published meta-schema) is shared state and not this server's schema.
    private static bool IsElsewhere(JsonSchemaNode target) =>
        target.Source.ValueKind is not (JsonValueKind.True or JsonValueKind.False) && SchemaRegistry.Global.Get(target.BaseUri) is not null;

    // The library compiles patterns without a time limit; a pattern from a server must not stall governance.
    private static Regex Bounded(Regex pattern) =>
        new(pattern.ToString(), pattern.Options & ~RegexOptions.Compiled, ArgumentSchema.PatternTimeout);

    /// <summary>
    /// For each node, the most nodes on a path from it and how many paths start there (capped just past
    /// <see cref="ArgumentSchema.MaxEvaluationPaths"/>), or null when the edges form a loop. Iterative: no recursion.
    /// </summary>
    private static (int[] Longest, int[] Count)? Paths(List<List<int>> first, List<List<int>> second)
    {
        var count = first.Count;
        var longest = new int[count];
        var paths = new int[count];
        var state = new byte[count]; // 0 unvisited, 1 on the current path, 2 done
        var stack = new Stack<(int Node, int Next)>();
        for (var start = 0; start < count; start++)
        {
            if (state[start] != 0)
            {
                continue;
            }

            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var edges = first[node].Count + (second.Count > 0 ? second[node].Count : 0);
                if (next < edges)
                {
                    stack.Push((node, next + 1));
                    var child = next < first[node].Count ? first[node][next] : second[node][next - first[node].Count];
                    if (state[child] == 1)
                    {
                        return null;
                    }

                    if (state[child] == 0)
                    {
                        state[child] = 1;
                        stack.Push((child, 0));
                    }

                    continue;
                }

                var deepest = 0;
                var below = 1;
                foreach (var child in first[node].Concat(second.Count > 0 ? second[node] : []))
                {
                    deepest = Math.Max(deepest, longest[child]);
                    below = Math.Min(below + paths[child], ArgumentSchema.MaxEvaluationPaths + 1);
                }

                longest[node] = deepest + 1;
                paths[node] = below;
                state[node] = 2;
            }
        }

        return (longest, paths);
    }
}
