using AgentSuite.Agents.Turns;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// Governance as Semantic Kernel sees it: the kernel's auto-function-invocation filter, and on this path the one place
/// that governs. Every function the agent's model calls comes here with SK's context (call id, function, arguments)
/// and goes through <see cref="GovernancePipeline"/>; the kernel's function runs only as the pipeline's last step, once
/// every governance filter allowed it, and a denial or failure becomes the result the model reads. Nothing is ever
/// terminated: every call of a response gets a result, and a result is never thrown away after its side effect.
/// <para>
/// One filter per agent run: it carries the run (attribution never comes from the function-invoking client's ambient
/// context, which inside a specialist is the coordinator's hand-off call) and counts the run's failures in a row.
/// </para>
/// </summary>
internal sealed class GovernanceFilter(
    AgentRunContext run,
    IReadOnlyDictionary<string, GovernedTool> tools,
    GovernancePipeline pipeline,
    AgentsOptions options,
    TurnJournal? journal,
    AgentFrame? frame,
    CancellationToken cancellationToken) : IAutoFunctionInvocationFilter
{
    private int _failuresInARow;

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var call = context.CallContent;
        var callId = run.ToolCallIdFor(call.CallId);
        if (journal is not null && frame is not null)
        {
            // A step: the response with its calls is on the record before any of them is governed.
            if (frame.IsNewResponse(context.Messages))
            {
                journal.ResponseReceived(frame, context.Messages);
            }

            // A resumed turn's replayed response: a call answered before the turn stopped keeps its answer.
            if (frame.TryRecorded(call.CallId, out var recorded))
            {
                context.Result = new FunctionResult(context.Function, recorded);
                return;
            }

            journal.CallStarting(frame, callId, call.Name);
        }

        var (result, failure) = await GovernAsync(context, call, callId, next);
        context.Result = new FunctionResult(context.Function, result);
        if (journal is not null && frame is not null)
        {
            journal.OutcomeRecorded(frame, call.CallId, result);
        }

        _failuresInARow = failure is null ? 0 : _failuresInARow + 1;
        if (_failuresInARow >= options.ToolLoop.MaximumConsecutiveErrorsPerRequest)
        {
            throw new AgentRunException($"Agent '{run.Agent}' stopped after {_failuresInARow} failed tool calls in a row; the last: {failure}");
        }
    }

    private async Task<(object? Result, string? Failure)> GovernAsync(AutoFunctionInvocationContext context, Microsoft.Extensions.AI.FunctionCallContent call, string callId, Func<AutoFunctionInvocationContext, Task> next)
    {
        ToolCallOutcome outcome;
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            outcome = await pipeline.DenyUnknownToolAsync(run, call.Name, callId, cancellationToken);
            return (GovernedTool.DenialResult(call.Name, outcome), null);
        }

        var key = tool.Descriptor.Identity.Key;

        // SK hands a filter "{}" for arguments that are not JSON; only the call content still holds the parse error.
        if (call.Exception is { } malformed)
        {
            outcome = await pipeline.DenyCallAsync(run, key, callId, "arguments", $"The arguments for '{call.Name}' are not valid JSON: {malformed.Message}", cancellationToken);
            return (GovernedTool.DenialResult(call.Name, outcome), $"{key}: {outcome.Reason}");
        }

        if (HandOffFunction.Target(tool) is { } target && HandOffRefusal(target) is { } refusal)
        {
            outcome = await pipeline.DenyCallAsync(run, key, callId, "hand-off", refusal, cancellationToken);
            return (GovernedTool.DenialResult(tool.Descriptor.Identity, outcome), null);
        }

        var arguments = new AIFunctionArguments(context.Arguments ?? []).WithToolCall(run, callId);
        var handOff = HandOffFunction.Target(tool) is not null;
        if (frame?.WasInterrupted(call.CallId) == true)
        {
            arguments.WithResumption(handOff ? ToolCallResumption.Continued : ToolCallResumption.Interrupted);
        }

        // A call that may have a side effect starts only once the turn's checkpoint knows about it, so a resumed turn never
        // asks the model again and runs it a second time under a new call id. An in-process hand-off's own calls each do
        // this; a remote one's run in another process, so the hand-off itself is on the record before it asks.
        if (journal is not null && (!handOff || HandOffFunction.IsRemote(tool)) && !tool.Descriptor.Annotations.IsReadOnly)
        {
            await journal.FlushAsync();
        }

        outcome = await pipeline.InvokeAsync(tool, arguments, async governed =>
        {
            if (journal is not null && frame is not null)
            {
                journal.CallExecuting(frame, governed);
            }

            // The function runs with the arguments governance checked and approved (including a key it supplied).
            if (context.Arguments is { } kernelArguments)
            {
                foreach (var (name, value) in governed.Arguments)
                {
                    kernelArguments[name] = value;
                }
            }

            using (GovernedCall.Enter(run, callId, tool.Inner, governed))
            {
                await next(context);
            }

            return context.Result.GetValue<object>();
        }, cancellationToken);
        // A specialist whose model had no answer (a script miss, a remote agent's) fails the turn as the coordinator's own miss does: the detail is for the
        // developer, so it must not come back to the coordinator as a result it would pass on to the customer.
        if (outcome.Status == ToolCallStatus.Failed && ModelNoAnswerException.Find(outcome.Error) is { } miss)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(miss);
        }

        return outcome.Status switch
        {
            ToolCallStatus.Completed or ToolCallStatus.Replayed => (outcome.Result, null),
            ToolCallStatus.Denied => (GovernedTool.DenialResult(tool.Descriptor.Identity, outcome), null),
            _ => (GovernedTool.FailureResult(key, outcome), $"{key}: {outcome.Reason}"),
        };
    }

    // Hand-offs nest tool loops; nothing in SK bounds the depth or stops billing -> coordinator -> billing.
    private string? HandOffRefusal(string target)
    {
        if (target == run.Agent || run.Callers.Contains(target))
        {
            return $"Handing off to '{target}' would loop: it is already working on this request ({string.Join(" -> ", [.. run.Callers, run.Agent, target])}).";
        }

        var depth = run.Callers.Count + 1;
        return depth > options.MaximumHandOffDepth
            ? $"Handing off to '{target}' would nest {depth} hand-offs deep; the limit is {options.MaximumHandOffDepth} (Agents:MaximumHandOffDepth)."
            : null;
    }
}
