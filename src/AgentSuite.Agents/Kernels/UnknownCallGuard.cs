using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// Sits between the function-invoking client and the model and reads each answer before the tool loop does. A call to a
/// name the agent was not offered is made findable through <see cref="AgentToolScope"/>, so the governance filter denies
/// and audits it; a name no function can carry is denied and audited here, and the model reads the loop's "not found".
/// </summary>
internal sealed class UnknownCallGuard(IChatClient inner, GovernancePipeline pipeline) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            await ReviewAsync(call, options, cancellationToken);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    await ReviewAsync(call, options, cancellationToken);
                }
            }

            yield return update;
        }
    }

    private async ValueTask ReviewAsync(FunctionCallContent call, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (AgentToolScope.Current is not { } scope || call.InformationalOnly || Offered(call.Name, options) || scope.Knows(call.Name) || scope.AddInvented(call.Name))
        {
            return;
        }

        await pipeline.DenyUnknownToolAsync(scope.Run, call.Name, scope.Run.ToolCallIdFor(call.CallId), cancellationToken);
    }

    private static bool Offered(string name, ChatOptions? options)
    {
        if (options?.Tools is not { } tools)
        {
            return false;
        }

        foreach (var tool in tools)
        {
            if (tool.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
