using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// A tool's input schema, built once with JsonSchema.Net, or why it cannot be used. Schemas come from MCP servers, which
/// may lie: one that does not build, names an unknown <c>$schema</c>, has a <c>$ref</c> that does not resolve, could
/// exhaust the stack or could cost too many evaluations per call is unusable, and every call against it is denied.
/// </summary>
public sealed class ArgumentSchema
{
    /// <summary>Most subschemas one evaluation may nest; the library spends about 1.3 KB of stack on each.</summary>
    public const int MaxEvaluationDepth = 256;

    /// <summary>Most JSON objects a schema may hold; building recurses through every <c>$ref</c>.</summary>
    public const int MaxSchemaObjects = 5_000;

    /// <summary>Most subschema evaluations one value may cost; shared <c>$ref</c>s can otherwise multiply them without bound.</summary>
    public const int MaxEvaluationPaths = 10_000;

    /// <summary>How long building may take; a schema still building then is unusable.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    // The library builds recursively along every $ref; a large stack keeps a long $ref chain from ending the process.
    private const int BuildStackBytes = 64 * 1024 * 1024;

    // The MCP specification's default dialect for tool schemas that name no $schema.
    private static readonly Dialect DefaultDialect = Dialect.Draft202012;
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.Hierarchical };

    private readonly JsonSchema? _schema;
    private readonly SchemaRegistry? _registry;
    private readonly SchemaShape _shape;

    private ArgumentSchema(JsonSchema? schema, SchemaRegistry? registry, SchemaShape shape, string? problem)
    {
        _schema = schema;
        _registry = registry;
        _shape = shape;
        Problem = problem;
    }

    /// <summary>Why the schema cannot be used (every call is then denied), or null when it can.</summary>
    public string? Problem { get; }

    /// <summary>Builds the schema; never throws, a schema that cannot be used is returned with its <see cref="Problem"/>.</summary>
    public static ArgumentSchema Build(JsonElement schema) => Build(schema, BuildTimeout, BuildStackBytes);

    internal static ArgumentSchema Build(JsonElement schema, TimeSpan timeout, int stackBytes)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            return Unusable("the schema is not a JSON object");
        }

        if (CountObjects(schema) > MaxSchemaObjects)
        {
            return Unusable($"the schema holds more than {MaxSchemaObjects} objects");
        }

        // Each schema gets its own registry, so one server's $id can never stand in for another's.
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry, Dialect = DefaultDialect };
        var owned = schema.Clone();
        JsonSchema? built = null;
        Exception? failure = null;
        // Background, so a build that never ends cannot keep the process alive; it is abandoned after the timeout.
        var builder = new Thread(() =>
        {
            try
            {
                built = JsonSchema.Build(owned, options);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, stackBytes) { IsBackground = true, Name = "ArgumentSchema.Build" };
        try
        {
            builder.Start();
        }
        catch (OutOfMemoryException)
        {
            return Unusable($"there was no memory for the {stackBytes / (1024 * 1024)} MB stack that building it needs");
        }

        if (!builder.Join(timeout))
        {
            return Unusable($"building it took longer than {timeout.TotalSeconds} s");
        }

        if (built is null)
        {
            return Unusable(Describe(failure, owned));
        }

        var shape = SchemaShape.Inspect(built.Root);
        return shape.Problem is { } problem ? Unusable(problem) : new ArgumentSchema(built, registry, shape, null);
    }

    /// <summary>Validates the arguments; returns an empty list when they match, else up to maxErrors reasons.</summary>
    public IReadOnlyList<string> Validate(JsonElement arguments, int maxErrors = 8)
    {
        if (_schema is null)
        {
            return [Problem!];
        }

        if (_shape.MaxLevels is { } maxLevels && InstanceDepth(arguments, maxLevels + 1) > maxLevels)
        {
            return [$"$: the arguments nest too deeply to be checked against this recursive schema (at most {maxLevels} levels)"];
        }

        try
        {
            if (_schema.Evaluate(arguments, Quick).IsValid)
            {
                return [];
            }

            return SchemaDenialReasons.Describe(_schema.Evaluate(arguments, Detailed), _schema.Root.Source, arguments, _registry!, Math.Max(1, maxErrors));
        }
        catch (RegexMatchTimeoutException ex)
        {
            return [$"$: the pattern {ShownValue.Quote(ex.Pattern)} took longer than {PatternTimeout.TotalMilliseconds} ms to evaluate, so the arguments are rejected"];
        }
        catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException or InvalidCastException or KeyNotFoundException or FormatException or OverflowException)
        {
            // The library's message may quote the arguments; its type says enough.
            return [$"$: the schema could not be evaluated ({ex.GetType().Name}), so the arguments are rejected"];
        }
    }

    private static ArgumentSchema Unusable(string problem) => new(null, null, default, problem);

    private static string Describe(Exception? failure, JsonElement schema) => failure switch
    {
        JsonSchemaException ex when ex.Message.Contains("dialect", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("$schema", StringComparison.Ordinal) =>
            $"its $schema {(schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$schema", out var dialect) ? ShownValue.Show(dialect) + " " : "")}is not a dialect known here; declare draft-06, draft-07, 2019-09 or 2020-12, or leave $schema out for 2020-12",
        RefResolutionException ex => $"a $ref cannot be resolved ({ShownValue.Shorten(ex.Message, 120)}); only references inside the schema are followed",
        RegexParseException ex => $"a pattern is not a valid ECMAScript regular expression ({ShownValue.Shorten(ex.Message, 120)})",
        null => "the schema could not be built",
        _ => ShownValue.Shorten(failure.Message, 200),
    };

    // Counted without recursion, so a deeply nested schema is measured before anything recurses into it.
    private static int CountObjects(JsonElement root)
    {
        var count = 0;
        var pending = new Stack<JsonElement>();
        pending.Push(root);
        while (pending.Count > 0 && count <= MaxSchemaObjects)
        {
            var element = pending.Pop();
            if (element.ValueKind == JsonValueKind.Object)
            {
                count++;
                foreach (var property in element.EnumerateObject())
                {
                    pending.Push(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    pending.Push(item);
                }
            }
        }

        return count;
    }

    private static int InstanceDepth(JsonElement value, int limit)
    {
        if (limit <= 0)
        {
            return 0;
        }

        var deepest = 0;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                deepest = Math.Max(deepest, 1 + InstanceDepth(property.Value, limit - 1));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                deepest = Math.Max(deepest, 1 + InstanceDepth(item, limit - 1));
            }
        }

        return deepest;
    }
}
