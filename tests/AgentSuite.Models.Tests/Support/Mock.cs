using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

public static class Mock
{
    public static MockChatClient Client(string yaml) => new(MockScript.Parse(yaml, "test.yaml"));

    public static Task<ChatResponse> AskAsync(this MockChatClient client, ChatOptions options, params ChatMessage[] messages) =>
        client.GetResponseAsync(messages, options);
}
