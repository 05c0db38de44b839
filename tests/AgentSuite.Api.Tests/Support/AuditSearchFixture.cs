using System.Text.Json;

namespace AgentSuite.Api.Tests.Support;

/// <summary>One real Api whose audit holds startup entries and alice's small refund, read by every audit search test.</summary>
public sealed class AuditSearchFixture : IAsyncLifetime
{
    private ApiServer? _api;

    public ApiServer Api => _api!;

    public string ConversationId { get; private set; } = "";

    /// <summary>Every entry, read once after the refund in one page.</summary>
    public IReadOnlyList<JsonElement> All { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _api = await ApiServer.StartAsync();
        using var alice = _api.Client("alice");
        ConversationId = await alice.NewConversationAsync();
        await alice.PostJsonAsync($"/api/conversations/{ConversationId}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        All = [.. (await alice.GetJsonAsync("/api/audit?limit=1000")).EnumerateArray()];
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
