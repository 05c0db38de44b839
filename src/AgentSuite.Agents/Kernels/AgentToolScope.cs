using System.Collections;
using System.Collections.Concurrent;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// The functions an agent's model may name without being offered them, for the function-invoking client to find (as
/// its <c>AdditionalTools</c>) so the call reaches the governance filter instead of a bare "not found": the tools of
/// the agent's servers its allow-list withholds (denied with the allow-list's reason) and names the model invented
/// (denied as <c>unknown-tool</c>). One scope per agent run, flowing with the async context, so nested runs of a
/// hand-off each see their own.
/// </summary>
internal sealed class AgentToolScope(AgentRunContext run, IEnumerable<KernelFunction> withheld)
{
    private static readonly AsyncLocal<AgentToolScope?> Ambient = new();

    private readonly ConcurrentDictionary<string, AITool> _tools = new(withheld.Select(f => KeyValuePair.Create(((AIFunction)f).Name, (AITool)f)), StringComparer.Ordinal);

    /// <summary>The list given to the function-invoking client: whatever the current run's scope holds.</summary>
    public static IList<AITool> AdditionalTools { get; } = new AmbientTools();

    public static AgentToolScope? Current => Ambient.Value;

    public AgentRunContext Run { get; } = run;

    public static IDisposable Enter(AgentToolScope scope)
    {
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Restore(previous);
    }

    public bool Knows(string name) => _tools.ContainsKey(name);

    /// <summary>
    /// Makes an invented name findable, so its call goes through the filter and is denied there. False for a name
    /// Semantic Kernel cannot hold as a function; the caller denies that one itself.
    /// </summary>
    public bool AddInvented(string name)
    {
        if (_tools.ContainsKey(name))
        {
            return true;
        }

        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return false;
        }

        _tools.TryAdd(name, new InventedFunction(name).AsKernelFunction());
        return true;
    }

    private sealed class Restore(AgentToolScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }

    /// <summary>Never offered to a model and never run: the filter denies any call to it before its body.</summary>
    private sealed class InventedFunction(string name) : AIFunction
    {
        public override string Name => name;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"'{name}' is no tool; governance denies every call to it.");
    }

    private sealed class AmbientTools : IList<AITool>
    {
        private static ICollection<AITool> Tools => Current?._tools.Values ?? (ICollection<AITool>)Array.Empty<AITool>();

        public int Count => Tools.Count;

        public bool IsReadOnly => true;

        public AITool this[int index]
        {
            get => Tools.ElementAt(index);
            set => throw new NotSupportedException();
        }

        public IEnumerator<AITool> GetEnumerator() => Tools.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Contains(AITool item) => Tools.Contains(item);

        public void CopyTo(AITool[] array, int arrayIndex) => Tools.CopyTo(array, arrayIndex);

        public int IndexOf(AITool item) => Tools.ToList().IndexOf(item);

        public void Add(AITool item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();

        public void Insert(int index, AITool item) => throw new NotSupportedException();

        public bool Remove(AITool item) => throw new NotSupportedException();

        public void RemoveAt(int index) => throw new NotSupportedException();
    }
}
