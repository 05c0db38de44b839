using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>The HTTP calls the tests make, as docs/api.md gives them; every POST sends JSON and the caller's <c>X-User</c>.</summary>
public static class ApiCalls
{
    /// <summary>The statuses of a turn that will not change any more.</summary>
    public static readonly string[] EndedStatuses = ["completed", "failed", "abandoned"];

    public static async Task<string> NewConversationAsync(this HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/conversations", new { });
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Sends a message without waiting for its turn: the request is expected to die with the Api. The task ends when the
    /// request does, however it ends; it never throws.
    /// </summary>
    public static Task SendInBackground(this HttpClient client, string conversationId, string text) => Task.Run(async () =>
    {
        try
        {
            using var response = await client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // The Api was killed under it, as intended.
        }
    });

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>The pending approval of <paramref name="conversationId"/>, or null while there is none.</summary>
    public static async Task<JsonElement?> PendingApprovalAsync(this HttpClient client, string conversationId) =>
        (await client.GetJsonAsync("/api/approvals?status=pending")).EnumerateArray()
            .Where(a => a.GetProperty("conversationId").GetString() == conversationId)
            .Select(a => (JsonElement?)a).SingleOrDefault();

    /// <summary><c>POST /api/approvals/{id}/decision</c>; asserts 200 and returns the approval as decided.</summary>
    public static async Task<JsonElement> DecideAsync(this HttpClient client, string approvalId, bool approve, string comment)
    {
        using var response = await client.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve, comment });
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    public static Task<JsonElement> ConversationAsync(this HttpClient client, string conversationId) =>
        client.GetJsonAsync($"/api/conversations/{conversationId}");

    /// <summary>Polls the conversation until its latest turn has ended (completed, failed or abandoned); returns the conversation.</summary>
    public static async Task<JsonElement> WaitForTurnToEndAsync(this HttpClient client, DurableApi api, string conversationId) =>
        (await Waits.UntilAsync(
            $"the turn of {conversationId} to end after the restart",
            async () =>
            {
                var conversation = await client.ConversationAsync(conversationId);
                return conversation.TryGetProperty("turn", out var turn) && EndedStatuses.Contains(turn.GetProperty("status").GetString())
                    ? new Box<JsonElement>(conversation)
                    : null;
            },
            () => client.DescribeAsync(api, conversationId))).Value;

    /// <summary>The conversation's audit entries in sequence order.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AuditAsync(this HttpClient client, string conversationId) =>
        [.. (await client.GetJsonAsync($"/api/audit?conversationId={conversationId}&limit=1000")).EnumerateArray()];

    /// <summary>What the Api shows of a conversation and its audit, and what it printed: the account a failed wait gives.</summary>
    public static async Task<string> DescribeAsync(this HttpClient client, DurableApi api, string conversationId)
    {
        static async Task<string> TryAsync(Func<Task<string>> read)
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException or JsonException)
            {
                return $"(unreadable: {e.Message})";
            }
        }

        var conversation = await TryAsync(async () => (await client.ConversationAsync(conversationId)).GetRawText());
        var audit = await TryAsync(async () => string.Join("\n", (await client.AuditAsync(conversationId)).Select(e =>
            $"  {e.GetProperty("seq")} {e.Text("kind")} {e.Text("tool")} {e.Text("decision")} {e.Text("toolCallId")}")));
        var output = api.Output;
        return $"Conversation: {conversation}\nAudit:\n{audit}\nThe Api's output (last 6000 characters):\n{output[Math.Max(0, output.Length - 6000)..]}";
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public static string Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
