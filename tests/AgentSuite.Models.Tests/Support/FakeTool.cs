using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>A tool the model is offered under its model-facing name; records every call's arguments and answers with <paramref name="invoke"/>.</summary>
public sealed class FakeTool(string name, Func<IReadOnlyDictionary<string, JsonElement>, object?> invoke) : AIFunction
{
    public List<IReadOnlyDictionary<string, JsonElement>> Calls { get; } = [];

    public override string Name => name;

    public override string Description => $"Fake {name} for the mock model's tests.";

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var args = arguments.ToDictionary(a => a.Key, a => a.Value is JsonElement e ? e : JsonSerializer.SerializeToElement(a.Value), StringComparer.Ordinal);
        Calls.Add(args);
        return ValueTask.FromResult(invoke(args));
    }

    public static FakeTool Returning(string name, string json) => new(name, _ => Json.Parse(json));
}
