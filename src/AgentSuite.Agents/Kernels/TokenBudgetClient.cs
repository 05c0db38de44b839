using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using AgentSuite.Governance.Budgets;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// Holds each model call of a run to its principal's daily token budget: before the call, a principal that has spent
/// its budget is refused (<see cref="TokenBudgetExceededException"/>, audited), so a turn that crosses the budget stops at
/// its next model call; after it (however a stream ends), the usage the model reported is added to the principal's count
/// for the day, and a failure to count is logged rather than failing a call that succeeded.
/// A call made outside an agent run (no <see cref="AgentRunContext.Current"/>) has no principal and passes.
/// </summary>
internal sealed class TokenBudgetClient(IChatClient inner, TokenBudgetService budgets) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = AgentRunContext.Current;
        if (run is not null)
        {
            await budgets.ThrowIfExceededAsync(run.Principal, "model call", run, cancellationToken);
        }

        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (run is not null && response.Usage is { } usage)
        {
            await budgets.TryRecordAsync(run.Principal, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = AgentRunContext.Current;
        if (run is not null)
        {
            await budgets.ThrowIfExceededAsync(run.Principal, "model call", run, cancellationToken);
        }

        long input = 0, output = 0;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    input += usage.Details.InputTokenCount ?? 0;
                    output += usage.Details.OutputTokenCount ?? 0;
                }

                yield return update;
            }
        }
        finally
        {
            // Counted however the stream ends (thrown, cancelled, abandoned by its reader): tokens reported were spent.
            if (run is not null && (input > 0 || output > 0))
            {
                await budgets.TryRecordAsync(run.Principal, input, output);
            }
        }
    }
}
