using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// A tool under the name its kernel plugin gives it (letters, digits and '_', as Semantic Kernel requires): the MCP
/// tool <c>get_invoice</c> of server <c>billing</c> is function <c>get_invoice</c> of plugin <c>billing</c>, which the
/// model reads as <c>billing_get_invoice</c>. Only the name differs; calls go to the tool itself.
/// </summary>
internal sealed class KernelToolFunction(AIFunction tool, string functionName) : DelegatingAIFunction(tool)
{
    public override string Name => functionName;
}
