using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSuite.Observability.Tests.Support;

/// <summary>The refund turn the telemetry tests send through the real Api: a new conversation, then the duplicate-charge message.</summary>
internal static class RefundTurn
{
    /// <summary>Runs the turn as <paramref name="caller"/> and returns the coordinator's reply; fails with the answer if the turn fails.</summary>
    public static async Task<string> RunAsync(HttpClient caller)
    {
        using var created = await caller.PostAsJsonAsync("/api/conversations", new { });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var turn = await caller.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var body = await turn.Content.ReadAsStringAsync();
        Assert.True(turn.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("reply").GetString()!;
    }
}
