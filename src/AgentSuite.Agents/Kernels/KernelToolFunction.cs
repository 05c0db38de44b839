using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// A tool under the name its kernel plugin gives it (letters, digits and '_', as Semantic Kernel requires): the MCP
/// tool <c>get_invoice</c> of server <c>billing</c> is function <c>get_invoice</c> of plugin <c>billing</c>, which the
/// model reads as <c>billing_get_invoice</c>. It runs the tool only as the governed call the filter allowed
/// (<see cref="GovernedCall"/>); invoked any other way it refuses, so no path around governance reaches the tool.
/// </summary>
internal sealed class KernelToolFunction(AIFunction tool, string functionName) : DelegatingAIFunction(tool)
{
    public override string Name => functionName;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        GovernedCall.IsAllowed(InnerFunction)
            ? base.InvokeCoreAsync(arguments, cancellationToken)
            : throw new InvalidOperationException($"'{InnerFunction.Name}' runs only as a call the governance filter allowed; it was invoked outside the agent's tool loop.");
}
