using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>Records requests against a model into a temp folder and loads the recording back as a replay.</summary>
public static class Replays
{
    /// <summary>Sends each request through a recording client in conversation 'recorded' and returns the replay of the file.</summary>
    public static async Task<MockChatClient> RecordAsync(TempFolder folder, IChatClient model, params (ChatMessage[] Messages, ChatOptions Options)[] requests)
    {
        var client = model.WithRecording(folder.Path);
        foreach (var (messages, options) in requests)
        {
            options.AdditionalProperties![MockChatClient.ConversationPropertyKey] = "recorded";
            await client.GetResponseAsync(messages, options);
        }

        return new MockChatClient(MockScript.Load(folder.File("recorded.jsonl")));
    }
}
