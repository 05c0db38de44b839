using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>Answers in the shape OpenAI's Chat Completions API sends, and the provider and request the tests use.</summary>
public static class OpenAIAnswers
{
    public const string Key = "sk-test-0123456789abcdefWIRE";

    public const string Text = """
        {"id":"chatcmpl-Text1","object":"chat.completion","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"message":{"role":"assistant","content":"I refunded the duplicate charge of 49.00 USD on INV-1002."},"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":19,"total_tokens":431}}
        """;

    public const string ParallelToolCalls = """
        {"id":"chatcmpl-Tools1","object":"chat.completion","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
          {"id":"call_A","type":"function","function":{"name":"billing_get_invoice","arguments":"{\"invoice_id\":\"INV-1002\"}"}},
          {"id":"call_B","type":"function","function":{"name":"policy_check_refund","arguments":"{\"amount\":49.00,\"days_since_charge\":3,\"flags\":{\"first_refund\":true}}"}},
          {"id":"call_C","type":"function","function":{"name":"billing_get_invoice","arguments":"{\"invoice_id\": \"INV-10"}}
        ]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":500,"completion_tokens":40,"total_tokens":540}}
        """;

    /// <summary>Two tool calls streamed as OpenAI streams them: id and name first, the arguments in pieces, usage last.</summary>
    public static string[] StreamedToolCalls { get; } =
    [
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_SA","type":"function","function":{"name":"billing_get_invoice","arguments":""}}]},"finish_reason":null}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"invoice_"}}]},"finish_reason":null}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"id\":\"INV-1002\"}"}}]},"finish_reason":null}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_SB","type":"function","function":{"name":"policy_check_refund","arguments":"{\"reason\":"}}]},"finish_reason":null}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\"duplicate charge\"}"}}]},"finish_reason":null}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
        """{"id":"chatcmpl-S1","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[],"usage":{"prompt_tokens":560,"completion_tokens":28,"total_tokens":588}}""",
    ];

    public static string[] StreamedText(params string[] pieces) =>
    [
        .. pieces.Select(p => $$"""{"id":"chatcmpl-S2","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{"content":{{JsonSerializer.Serialize(p)}}},"finish_reason":null}]}"""),
        """{"id":"chatcmpl-S2","object":"chat.completion.chunk","created":1733400000,"model":"fixture-model-2024","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
    ];

    public static string Error(string message, string type = "invalid_request_error") =>
        JsonSerializer.Serialize(new { error = new { message, type, code = (string?)null } });

    public static OpenAIChatClient Provider(Uri endpoint, TimeSpan? timeout = null, int retries = 2) => new(new OpenAIModelOptions
    {
        Endpoint = endpoint,
        Model = "fixture-model",
        ApiKey = Key,
        MaxRetries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    });

    public static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are the billing specialist.") { AuthorName = "billing" },
        new(ChatRole.User, "I was charged twice on INV-1002, please refund it"),
    ];

    /// <summary>Options as Semantic Kernel's <c>ToChatOptions</c> leaves them: known settings mapped, the rest in AdditionalProperties.</summary>
    public static ChatOptions Options() => new()
    {
        Temperature = 0,
        TopP = 0.5f,
        MaxOutputTokens = 800,
        Tools = [AIFunctionFactory.CreateDeclaration("billing_get_invoice", "Reads an invoice.", JsonDocument.Parse("""{"type":"object","properties":{"invoice_id":{"type":"string"}},"required":["invoice_id"]}""").RootElement)],
        AdditionalProperties = new()
        {
            [MockChatClient.AgentPropertyKey] = "billing",
            [MockChatClient.ConversationPropertyKey] = "conv_wire",
            ["reasoning_effort"] = "low",
            ["service_tier"] = "flex",
            ["user"] = "dana-7",
            ["top_k"] = 40L,
            ["logit_bias"] = new Dictionary<string, int> { ["50256"] = -100 },
        },
    };
}
