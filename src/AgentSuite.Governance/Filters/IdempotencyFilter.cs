using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Governance.Idempotency;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// 7. A side-effecting call (any tool not marked read-only) runs at most once per key. The key is the tool plus
/// conversation + run id + tool-call id, or the tool plus the value of an idempotency-key argument the tool declares. A repeat
/// returns the stored result; a concurrent duplicate waits for the first; the same key with other arguments is refused;
/// a call whose outcome was never recorded (a crash mid-call) is refused as "outcome unknown" rather than risked twice.
/// </summary>
public sealed class IdempotencyFilter(IIdempotencyStore store, TimeProvider time) : IToolCallFilter
{
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);

    public string Name => "idempotency";

    public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
    {
        if (context.Annotations.IsReadOnly)
        {
            return await next(context);
        }

        var key = KeyFor(context);
        context.IdempotencyKey = key;
        context.AddNote("idempotencyKey", key);

        var mine = new InFlight(context.ArgumentsHash);
        var first = _inFlight.GetOrAdd(key, mine);
        if (first != mine)
        {
            var theirs = await first.Outcome.Task.WaitAsync(context.CancellationToken);
            // A replay also matched the first call's arguments, so both carry a result bound to first.ArgumentsHash.
            return theirs.Status is ToolCallStatus.Completed or ToolCallStatus.Replayed
                ? await CheckedReplay(context, theirs.Result, first.ArgumentsHash)
                : theirs;
        }

        var outcome = ToolCallOutcome.Failed("The call did not finish.", stage: Name);
        try
        {
            outcome = await ClaimAndRunAsync(context, key, next);
            return outcome;
        }
        finally
        {
            mine.Outcome.TrySetResult(outcome);
            _inFlight.TryRemove(new KeyValuePair<string, InFlight>(key, mine));
        }
    }

    private async ValueTask<ToolCallOutcome> ClaimAndRunAsync(ToolCallContext context, string key, ToolCallDelegate next)
    {
        while (true)
        {
            var existing = await store.TryClaimAsync(
                new IdempotencyRecord(key, context.Tool.Key, context.ArgumentsHash, IdempotencyState.Pending, time.GetUtcNow(), null, null),
                context.CancellationToken);
            if (existing is null)
            {
                break;
            }

            // A resumed hand-off's claim is its own: its specialist goes on, and the result completes the claim.
            if (existing.State is IdempotencyState.Pending or IdempotencyState.Unknown && context.Resumption == ToolCallResumption.Continued
                && string.Equals(existing.ArgumentsHash, context.ArgumentsHash, StringComparison.Ordinal))
            {
                context.AddNote("resumed", "true");
                break;
            }

            // Null means the other holder released the key without running: claim it again ourselves.
            if (await FromExistingAsync(context, existing) is { } decided)
            {
                return decided;
            }
        }

        ToolCallOutcome outcome;
        try
        {
            outcome = await next(context);
        }
        catch
        {
            await SettleFailureAsync(context, key, "a governance error after the call started");
            throw;
        }

        switch (outcome.Status)
        {
            case ToolCallStatus.Completed:
                await store.CompleteAsync(key, JsonSerializer.Serialize(CanonicalJson.ToElement(outcome.Result)), time.GetUtcNow(), CancellationToken.None);
                break;
            case ToolCallStatus.Failed when outcome.Error is not null and not ToolOutcomeUnknownException:
                // The tool itself reported failure: nothing took effect, so a retry may run it again.
                await store.ReleaseAsync(key, CancellationToken.None);
                break;
            default:
                await SettleFailureAsync(context, key, outcome.Reason ?? outcome.Status.ToString());
                break;
        }

        return outcome;
    }

    private async ValueTask<ToolCallOutcome?> FromExistingAsync(ToolCallContext context, IdempotencyRecord record)
    {
        // An interrupted call's pending claim was made by the process that stopped: nobody will finish it, so no lease is waited out.
        var lease = context.Resumption == ToolCallResumption.Interrupted ? TimeSpan.Zero : context.Policy.Options.Idempotency.PendingLease;
        while (record.State == IdempotencyState.Pending && time.GetUtcNow() - record.ClaimedAt < lease)
        {
            // Claimed by another instance that is still inside its lease: wait for its outcome.
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, context.CancellationToken);
            if (await store.GetAsync(record.Key, context.CancellationToken) is not { } current)
            {
                return null;
            }

            record = current;
        }

        return record.State switch
        {
            IdempotencyState.Completed => await CheckedReplay(context, record.ResultJson is null ? null : JsonSerializer.Deserialize<JsonElement>(record.ResultJson), record.ArgumentsHash),
            _ => ToolCallOutcome.Denied(Name,
                $"Outcome unknown: an earlier attempt of this call (key '{record.Key}') started but its outcome was never recorded ({record.Note ?? "the process running it stopped"}); it may have taken effect, so it is not run again. An operator must check before it is retried with a new key."),
        };
    }

    private ValueTask<ToolCallOutcome> CheckedReplay(ToolCallContext context, object? result, string? argumentsHash = null)
    {
        if (argumentsHash is not null && !string.Equals(argumentsHash, context.ArgumentsHash, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(ToolCallOutcome.Denied(Name,
                $"The idempotency key '{context.IdempotencyKey}' was already used for '{context.Tool.Key}' with different arguments; use a new key for a new operation."));
        }

        context.AddNote("replayed", "true");
        return ValueTask.FromResult(ToolCallOutcome.Replayed(result));
    }

    private async Task SettleFailureAsync(ToolCallContext context, string key, string note)
    {
        if (context.ExecutionStarted)
        {
            await store.MarkUnknownAsync(key, note, CancellationToken.None);
        }
        else
        {
            await store.ReleaseAsync(key, CancellationToken.None);
        }
    }

    /// <summary>The key a side-effecting call runs under; the approval stage stores it so an approver learns of a replay.</summary>
    internal static string KeyFor(ToolCallContext context)
    {
        var args = context.ArgumentsJson;
        if (args.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in context.Policy.Options.Idempotency.EffectiveKeyArguments)
            {
                if (args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } supplied && !string.IsNullOrWhiteSpace(supplied))
                {
                    return $"{context.Tool.Key}#key:{supplied}";
                }
            }
        }

        // The conversation is part of the key so that run ids only need to be unique within a conversation.
        return $"{context.Tool.Key}#run:{context.ConversationId}/{context.RunId}/{context.ToolCallId}";
    }

    private sealed class InFlight(string argumentsHash)
    {
        public string ArgumentsHash { get; } = argumentsHash;

        public TaskCompletionSource<ToolCallOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
