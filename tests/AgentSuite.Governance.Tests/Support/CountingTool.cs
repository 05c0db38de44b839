using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>In-process tools that count how often they really ran.</summary>
public sealed class CountingTool
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>A refund tool with a schema (amount: number, invoice_id: string, both required) and an optional delay.</summary>
    public AIFunction Refund(TimeSpan? delay = null) => AIFunctionFactory.Create(
        async (decimal amount, string invoice_id, CancellationToken ct) =>
        {
            Interlocked.Increment(ref _calls);
            if (delay is { } d)
            {
                await Task.Delay(d, ct);
            }

            return new { refunded = amount, invoice = invoice_id, refundId = "rf_" + Calls };
        },
        "issue_refund",
        "Refunds part or all of a charge on an invoice.");

    /// <summary>A read-only lookup.</summary>
    public AIFunction Lookup() => AIFunctionFactory.Create(
        (string invoice_id) =>
        {
            Interlocked.Increment(ref _calls);
            return new { invoice = invoice_id, total = 250m, status = "paid" };
        },
        "get_invoice",
        "Reads an invoice.");

    /// <summary>Returns whatever text it is given (for screening tests).</summary>
    public AIFunction Echo() => AIFunctionFactory.Create(
        (string text) =>
        {
            Interlocked.Increment(ref _calls);
            return text;
        },
        "echo",
        "Returns the text.");

    /// <summary>Always fails like a real tool failure.</summary>
    public AIFunction Failing() => AIFunctionFactory.Create(
        (string invoice_id) =>
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException($"Invoice {invoice_id} is locked.");
#pragma warning disable CS0162 // The lambda needs a return type for AIFunctionFactory.
            return "";
#pragma warning restore CS0162
        },
        "lock_invoice",
        "Fails.");

    public static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value is JsonElement e ? e : (object?)JsonSerializer.SerializeToElement(p.Value));
}
