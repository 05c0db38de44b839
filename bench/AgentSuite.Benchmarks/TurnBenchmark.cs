using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A full mock-model turn through <c>ConversationService.SendAsync</c> (coordinator, one hand-off to billing, billing's
/// two read-only MCP calls, the replies) against the same two MCP calls made bare with the SDK's client to servers of
/// the same kind, timed back to back. A turn and a bare pair alternate, the one going first alternating too, so machine
/// noise hits both alike. Every turn runs in a new conversation, so each does the same work. Warm-up is at least
/// <c>warmup</c> turns and three seconds.
/// </summary>
internal sealed class TurnBenchmark(int warmup, int timed)
{
    /// <summary>What the script makes every turn do: the coordinator's two model calls and billing's three.</summary>
    public const int ModelCalls = 5;

    /// <summary>The hand-off and billing's two MCP calls.</summary>
    public const int GovernedCalls = 3;

    public const int McpCalls = 2;

    private const string Message = "Check the refund for the duplicate charge on INV-1002";
    private const string Invoice = "INV-1002";

    /// <summary>What both the turn's reply and the bare policy answer must say (the 49.00 duplicate is refunded at once).</summary>
    private const string Expected = "automatic";

    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(3);

    public async Task<TurnBenchmarkResult> RunAsync(DeskFixture desk, BareMcpServer billing, BareMcpServer policy)
    {
        var bare = await BarePair.CreateAsync(billing.Tool("get_invoice"), policy.Tool("check_refund"));
        var turns = 0;
        var warmupTime = Stopwatch.StartNew();
        while (turns < warmup || warmupTime.Elapsed < MinimumWarmup)
        {
            await TurnAsync(desk, turns);
            await bare.TimeAsync();
            turns++;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var parts = new TurnParts(timed);
        for (var i = 0; i < timed; i++)
        {
            long turn;
            (long, long) pair;
            if (i % 2 == 0)
            {
                turn = await TurnAsync(desk, turns++);
                pair = await bare.TimeAsync();
            }
            else
            {
                pair = await bare.TimeAsync();
                turn = await TurnAsync(desk, turns++);
            }

            parts.Add(i, turn, pair, desk.Clock);
        }

        // Every governed call completed (the hand-off and the two MCP calls), and the chain verifies.
        var completed = await desk.CountAuditAsync(GovernanceEventTypes.ToolCompleted);
        var audit = await AuditVerifier.VerifyAsync(desk.Audit);
        return parts.Result(completed, (long)GovernedCalls * turns, audit);
    }

    private static async Task<long> TurnAsync(DeskFixture desk, int n)
    {
        var conversation = await desk.Conversations.CreateAsync(DeskFixture.Alice);
        desk.Clock.Start();
        var start = Stopwatch.GetTimestamp();
        var turn = await desk.Conversations.SendAsync(conversation.Id, DeskFixture.Alice, Message, desk.Clock);
        var ticks = Stopwatch.GetTimestamp() - start;

        var clock = desk.Clock;
        if (clock.Problems.Count > 0 || clock.Completed != GovernedCalls || clock.McpCalls != McpCalls || clock.ModelCalls != ModelCalls || !turn.Reply.Contains(Expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Turn {n} did not do what the benchmark script says ({GovernedCalls} governed calls completed, {McpCalls} of them MCP, {ModelCalls} model calls, a reply saying '{Expected}'): " +
                $"{clock.Completed} completed, {clock.McpCalls} MCP, {clock.ModelCalls} model calls; problems: [{string.Join("; ", clock.Problems)}]; reply: {turn.Reply}");
        }

        return ticks;
    }

    /// <summary>The turn's two MCP calls made bare, with the arguments the script builds from the invoice.</summary>
    private sealed class BarePair(McpClientTool getInvoice, McpClientTool checkRefund, Dictionary<string, object?> invoiceArguments, Dictionary<string, object?> refundArguments)
    {
        public static async Task<BarePair> CreateAsync(McpClientTool getInvoice, McpClientTool checkRefund)
        {
            var invoiceArguments = new Dictionary<string, object?> { ["invoice_id"] = JsonSerializer.SerializeToElement(Invoice) };
            var invoice = ResultJson(await getInvoice.InvokeAsync(new AIFunctionArguments(invoiceArguments)));
            var duplicate = invoice.GetProperty("charges")[1];
            var refundArguments = new Dictionary<string, object?>
            {
                ["amount"] = duplicate.GetProperty("amount").Clone(),
                ["days_since_charge"] = duplicate.GetProperty("days_since_charge").Clone(),
                ["reason"] = JsonSerializer.SerializeToElement("duplicate charge"),
            };
            return new BarePair(getInvoice, checkRefund, invoiceArguments, refundArguments);
        }

        public async Task<(long GetInvoice, long CheckRefund)> TimeAsync()
        {
            var first = await TimeAsync(getInvoice, invoiceArguments, Invoice);
            return (first, await TimeAsync(checkRefund, refundArguments, Expected));
        }

        private static async Task<long> TimeAsync(McpClientTool tool, Dictionary<string, object?> modelArguments, string expected)
        {
            var arguments = new AIFunctionArguments(modelArguments.ToDictionary());
            var start = Stopwatch.GetTimestamp();
            var result = await tool.InvokeAsync(arguments);
            var ticks = Stopwatch.GetTimestamp() - start;
            var text = ResultJson(result).GetRawText();
            return text.Contains(expected, StringComparison.Ordinal)
                ? ticks
                : throw new InvalidOperationException($"The bare {tool.Name} call did not return the expected result (containing '{expected}'): {text}");
        }

        /// <summary>
        /// The JSON a plugin tool returned: the SDK's tool gives a call result of one text block as that text; an error
        /// or anything else is not what the benchmark expects.
        /// </summary>
        private static JsonElement ResultJson(object? result) => result is TextContent text
            ? JsonSerializer.Deserialize<JsonElement>(text.Text)
            : throw new InvalidOperationException($"A bare MCP call did not return one text block: {JsonSerializer.Serialize(result)}");
    }
}
