using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Limits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentSuite.Governance.Budgets;

/// <summary>
/// Daily model-token budgets per principal (<c>Governance:Limits:DailyTokens</c>, overridden per principal): what the
/// model reports is added to the principal's count for the UTC day, and a principal that has reached its budget gets
/// no new turn and no further model call until the day ends. Each refusal is audited as <c>budget.exceeded</c>.
/// Spending is kept under the principal's stable key (<see cref="PrincipalLimits.KeyOf"/>: a token's subject, else the
/// name ignoring case), the key its limits and kill switches use, so a renamed token holder keeps one budget.
/// </summary>
public sealed class TokenBudgetService(ITokenUsageStore store, IAuditStore audit, GovernancePolicyProvider policies, TimeProvider time, ILogger<TokenBudgetService>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<TokenBudgetService>.Instance;

    /// <summary>Refuses (audited) when <paramref name="principal"/> has spent its budget for today; <paramref name="where"/> says what was refused.</summary>
    public async Task ThrowIfExceededAsync(Principal principal, string where, AgentRunContext? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var limit = PrincipalLimits.For(policies.Current.Options.Limits, principal).DailyTokens;
        if (limit <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var used = await store.GetAsync(PrincipalLimits.KeyOf(principal), Today(now), cancellationToken);
        if (used.TotalTokens < limit)
        {
            return;
        }

        var refusal = new TokenBudgetExceededException(principal.Name, used.TotalTokens, limit, NextDay(now) - now);
        await audit.AppendAsync(new AuditEntry(GovernanceEventTypes.BudgetExceeded, now)
        {
            ConversationId = run?.ConversationId is { Length: > 0 } conversationId ? conversationId : null,
            RunId = run?.RunId is { Length: > 0 } runId ? runId : null,
            Agent = run?.Agent,
            Principal = principal.Name,
            Decision = "denied",
            Reason = refusal.Message,
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["refused"] = where,
                ["spent"] = used.TotalTokens,
                ["limit"] = limit,
                ["day"] = used.Day.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }),
        }, CancellationToken.None);
        throw refusal;
    }

    /// <summary>
    /// Adds what one model call used to <paramref name="principal"/>'s count for today. With no budget configured anywhere
    /// nothing is counted, so a deployment without budgets pays no store write per model call.
    /// </summary>
    public async Task RecordAsync(Principal principal, long inputTokens, long outputTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var limits = policies.Current.Options.Limits;
        var counting = limits.DailyTokens > 0 || limits.Principals.Values.Any(p => p.DailyTokens > 0);
        if (counting && (inputTokens > 0 || outputTokens > 0))
        {
            await store.AddAsync(PrincipalLimits.KeyOf(principal), principal.Name, Today(time.GetUtcNow()), Math.Max(0, inputTokens), Math.Max(0, outputTokens), cancellationToken);
        }
    }

    /// <summary>
    /// <see cref="RecordAsync"/> for a model call that already succeeded: a failure to count (the store busy) is logged,
    /// not thrown, so the answer the model gave is not lost; those tokens then go uncounted.
    /// </summary>
    public async Task TryRecordAsync(Principal principal, long inputTokens, long outputTokens)
    {
        try
        {
            await RecordAsync(principal, inputTokens, outputTokens, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The {Tokens} model tokens of {Principal} could not be counted against its daily budget", inputTokens + outputTokens, principal.Name);
        }
    }

    /// <summary>Today's spending of every principal that spent tokens or has a budget of its own, by name.</summary>
    public async Task<IReadOnlyList<TokenBudget>> TodayAsync(CancellationToken cancellationToken = default)
    {
        var limits = policies.Current.Options.Limits;
        var day = Today(time.GetUtcNow());
        var spent = await store.ListAsync(day, cancellationToken);
        var budgets = spent.Select(u => Budget(u, PrincipalLimits.DailyTokensOf(limits, Shown(u)))).ToList();
        foreach (var (name, own) in limits.Principals)
        {
            if (own.DailyTokens is { } tokens && !spent.Any(u => string.Equals(Shown(u), name, StringComparison.OrdinalIgnoreCase) || Shown(u).EndsWith($" ({name})", StringComparison.Ordinal)))
            {
                budgets.Add(Budget(new TokenUsage(name, day, 0, 0), tokens));
            }
        }

        return budgets.OrderBy(b => b.Principal, StringComparer.OrdinalIgnoreCase).ToList();
    }

    // The name a row was last spent under; a row written before names were kept alongside keys is its own name.
    private static string Shown(TokenUsage used) => used.Display ?? used.Principal;

    private static TokenBudget Budget(TokenUsage used, long limit) =>
        new(Shown(used), used.Day, used.InputTokens, used.OutputTokens, limit > 0 ? limit : null);

    private static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    private static DateTimeOffset NextDay(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
}
