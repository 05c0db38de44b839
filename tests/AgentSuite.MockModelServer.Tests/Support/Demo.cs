using OpenAI.Chat;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>The demo script's refund conversation, with tool results shaped like the sample servers' answers.</summary>
public static class Demo
{
    public const string Refund = "I was charged twice on INV-1002, please refund it";

    /// <summary>A message no rule of the demo script matches: the mock model server answers it with a script miss.</summary>
    public const string Unscripted = "What is the weather like on the moon?";

    public const string BillingPrompt = "You are the billing agent. Use the tools to read invoices and issue refunds.";

    public const string CoordinatorPrompt = "You are the coordinator. Hand each request to the right specialist.";

    /// <summary>The billing agent's tools as an OpenAI request's <c>tools</c> array.</summary>
    public const string ToolsJson = """
        [
          {"type":"function","function":{"name":"billing_get_invoice","description":"Reads one invoice.","parameters":{"type":"object","properties":{"invoice_id":{"type":"string"}},"required":["invoice_id"]}}},
          {"type":"function","function":{"name":"policy_check_refund","description":"Checks a refund against the policy.","parameters":{"type":"object","properties":{"amount":{"type":"number"},"days_since_charge":{"type":"integer"},"reason":{"type":"string"}}}}},
          {"type":"function","function":{"name":"billing_issue_refund","description":"Refunds one charge.","parameters":{"type":"object","properties":{"invoice_id":{"type":"string"},"charge_id":{"type":"string"},"amount":{"type":"number"},"reason":{"type":"string"},"idempotency_key":{"type":"string"}}}}}
        ]
        """;

    /// <summary>Billing's get_invoice answer for INV-1002 as the governed layer hands it to a model: an envelope around the data.</summary>
    public const string InvoiceResult = """
        {"type":"tool_result","tool":"billing/get_invoice","trust":"untrusted-data","content":{"invoice_id":"INV-1002","customer_id":"CUST-7","customer_name":"Dana Whitfield","description":"Pro plan, monthly","currency":"USD","total":49.00,"issued_on":"2026-11-18","charged":98.00,"refunded":0.00,"charges":[{"charge_id":"CH-1","invoice_id":"INV-1002","amount":49.00,"charged_on":"2026-11-18","days_since_charge":3,"card":"visa **** 4242","refunded":0.00,"refundable":49.00},{"charge_id":"CH-2","invoice_id":"INV-1002","amount":49.00,"charged_on":"2026-11-18","days_since_charge":3,"card":"visa **** 4242","refunded":0.00,"refundable":49.00}],"refunds":[]}}
        """;

    public const string PolicyResult = """
        {"type":"tool_result","tool":"policy/check_refund","trust":"untrusted-data","content":{"amount":49.00,"days_since_charge":3,"reason_kind":"duplicate_charge","window_days":60,"within_window":true,"band":"automatic","handling":"Refund it now; no second person is needed."}}
        """;

    public const string RefundResult = """
        {"type":"tool_result","tool":"billing/issue_refund","trust":"untrusted-data","content":{"refund_id":"RF-2001","invoice_id":"INV-1002","charge_id":"CH-2","amount":49.00,"currency":"USD","remaining_refundable":0.00,"reason":"duplicate charge","created_at":"2026-11-21T09:00:00Z","replayed":false}}
        """;

    public const string RefundReply = "Refunded 49.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-2001.";

    /// <summary>The billing tools for the official OpenAI client.</summary>
    public static IReadOnlyList<ChatTool> Tools { get; } =
    [
        ChatTool.CreateFunctionTool("billing_get_invoice", "Reads one invoice.",
            BinaryData.FromString("""{"type":"object","properties":{"invoice_id":{"type":"string"}},"required":["invoice_id"]}""")),
        ChatTool.CreateFunctionTool("policy_check_refund", "Checks a refund against the policy.",
            BinaryData.FromString("""{"type":"object","properties":{"amount":{"type":"number"},"days_since_charge":{"type":"integer"},"reason":{"type":"string"}}}""")),
        ChatTool.CreateFunctionTool("billing_issue_refund", "Refunds one charge.",
            BinaryData.FromString("""{"type":"object","properties":{"invoice_id":{"type":"string"},"charge_id":{"type":"string"},"amount":{"type":"number"},"reason":{"type":"string"},"idempotency_key":{"type":"string"}}}""")),
    ];

    /// <summary>The start of a billing conversation, the agent named the way the app's OpenAI provider names it.</summary>
    public static List<ChatMessage> BillingRequest() =>
        [new SystemChatMessage(BillingPrompt) { ParticipantName = "billing" }, new UserChatMessage(Refund)];

    public static ChatCompletionOptions WithTools()
    {
        var options = new ChatCompletionOptions();
        foreach (var tool in Tools)
        {
            options.Tools.Add(tool);
        }

        return options;
    }

    /// <summary>A raw request body for the billing agent's refund; <paramref name="extra"/> adds fields (e.g. <c>"stream":true</c>).</summary>
    /// <summary>The coordinator sent <see cref="Unscripted"/>, as JSON for the wire.</summary>
    public static string UnscriptedJson(string extra = "") => $$"""
        {"model":"agentsuite-mock","messages":[{"role":"system","name":"coordinator","content":"{{CoordinatorPrompt}}"},{"role":"user","content":"{{Unscripted}}"}]{{(extra.Length > 0 ? "," + extra : "")}}}
        """;

    public static string BillingRequestJson(string extra = "") => $$"""
        {"model":"agentsuite-mock","messages":[{"role":"system","name":"billing","content":"{{BillingPrompt}}"},{"role":"user","content":"{{Refund}}"}],"tools":{{ToolsJson}}{{(extra.Length > 0 ? "," + extra : "")}}}
        """;
}
