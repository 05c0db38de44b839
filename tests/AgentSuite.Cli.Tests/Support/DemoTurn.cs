namespace AgentSuite.Cli.Tests.Support;

/// <summary>Canned turns shaped like the demo: the coordinator hands a refund to billing, which waits for approval.</summary>
public static class DemoTurn
{
    public const string ConversationId = "conv_canned1";
    public const string ApprovalId = "apr_canned1";
    public const string Reply = "Refunded 150.00 USD for the duplicate charge on INV-1006; the refund id is RF-9.";

    public static readonly string WithApproval = Sse.Stream(
        Sse.Event(1, "agent.started", """{"seq":1,"type":"agent.started","agent":"coordinator"}"""),
        Sse.Event(2, "tool.requested", """{"seq":2,"type":"tool.requested","agent":"coordinator","tool":"agents/ask_billing","toolCallId":"call_1"}"""),
        Sse.Event(3, "tool.decision", """{"seq":3,"type":"tool.decision","agent":"coordinator","tool":"agents/ask_billing","toolCallId":"call_1","decision":"allowed"}"""),
        Sse.Event(4, "agent.started", """{"seq":4,"type":"agent.started","agent":"billing","toolCallId":"call_1"}"""),
        Sse.Event(5, "tool.requested", """{"seq":5,"type":"tool.requested","agent":"billing","tool":"billing/issue_refund","toolCallId":"call_1/call_2"}"""),
        Sse.KeepAlive,
        Sse.Event(6, "approval.pending", $$"""{"seq":6,"type":"approval.pending","agent":"billing","tool":"billing/issue_refund","toolCallId":"call_1/call_2","approvalId":"{{ApprovalId}}","reason":"amount > 100 needs a second person"}"""),
        Sse.KeepAlive,
        Sse.Event(7, "approval.resolved", $$"""{"seq":7,"type":"approval.resolved","agent":"billing","tool":"billing/issue_refund","toolCallId":"call_1/call_2","approvalId":"{{ApprovalId}}","decision":"approved","reason":"ok"}"""),
        Sse.Event(8, "tool.decision", """{"seq":8,"type":"tool.decision","agent":"billing","tool":"billing/issue_refund","toolCallId":"call_1/call_2","decision":"allowed"}"""),
        Sse.Event(9, "tool.completed", """{"seq":9,"type":"tool.completed","agent":"billing","tool":"billing/issue_refund","toolCallId":"call_1/call_2","decision":"completed"}"""),
        Sse.Event(10, "message.completed", """{"seq":10,"type":"message.completed","agent":"billing","toolCallId":"call_1","text":"Refund RF-9 issued."}"""),
        Sse.Event(11, "tool.completed", """{"seq":11,"type":"tool.completed","agent":"coordinator","tool":"agents/ask_billing","toolCallId":"call_1","decision":"completed"}"""),
        Sse.Event(12, "message.completed", $$"""{"seq":12,"type":"message.completed","agent":"coordinator","text":"{{Reply}}"}"""),
        Sse.Event(13, "turn.completed", $$"""{"seq":13,"type":"turn.completed","agent":"coordinator","text":"{{Reply}}"}"""));

    public static readonly string Failed = Sse.Stream(
        Sse.Event(1, "agent.started", """{"seq":1,"type":"agent.started","agent":"coordinator"}"""),
        Sse.Event(2, "turn.failed", """{"seq":2,"type":"turn.failed","agent":"coordinator","reason":"The model did not answer."}"""));

    /// <summary>A conversation whose latest turn has <paramref name="status"/> (running, waiting, completed, failed, abandoned).</summary>
    public static string Conversation(string status, string? reason = null)
    {
        var why = reason is null ? "null" : $"\"{reason}\"";
        var turn = $$"""{"runId":"run_canned1","status":"{{status}}","approvalId":"{{ApprovalId}}","reason":{{why}},"lastEventId":6}""";
        return $$"""{"id":"{{ConversationId}}","createdBy":"alice","messages":[{"role":"user","text":"refund INV-1006"}],"turn":{{turn}}}""";
    }

    public static CannedApi Api(string stream) => new CannedApi()
        .OnJson("POST /api/conversations", $$"""{"id":"{{ConversationId}}"}""", System.Net.HttpStatusCode.Created)
        .OnJson($"GET /api/conversations/{ConversationId}", Conversation("completed"))
        .OnEventStream($"POST /api/conversations/{ConversationId}/messages", stream);

    /// <summary>The demo turn's events after <paramref name="seq"/>, as a re-attached stream sends them.</summary>
    public static string After(string stream, long seq) => stream[stream.IndexOf($"event: ", stream.IndexOf($"id: {seq}\n", StringComparison.Ordinal), StringComparison.Ordinal)..];

    public static string[] Args(params string[] args) => ["--url", CannedApi.BaseUrl, .. args];
}
