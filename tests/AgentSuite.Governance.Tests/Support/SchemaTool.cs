using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>An in-process tool with the input schema a test gives it, as an MCP server would declare it; counts its runs.</summary>
public sealed class SchemaTool(string name, string schema) : AIFunction
{
    private readonly JsonElement _schema = JsonDocument.Parse(schema).RootElement.Clone();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override string Name => name;

    public override string Description => "A tool whose schema the test chose.";

    public override JsonElement JsonSchema => _schema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult<object?>("done");
    }
}
