using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Models.Tests;

public sealed class ServiceCollectionTests
{
    [Fact]
    public async Task AddMockChatClientRegistersTheScriptedMockAsTheChatClient()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mock-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "agents:\n  billing:\n    - steps:\n        - reply: \"hello {{user}}\"\n");
        try
        {
            using var provider = new ServiceCollection().AddMockChatClient(path).BuildServiceProvider();

            var chat = provider.GetRequiredService<IChatClient>();
            var response = await chat.GetResponseAsync("Dana", new ChatOptions { AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = "billing" } });

            Assert.IsType<MockChatClient>(chat);
            Assert.Same(chat, provider.GetRequiredService<MockChatClient>());
            Assert.Equal(Path.GetFileName(path), provider.GetRequiredService<MockScript>().Name);
            Assert.Equal("hello Dana", response.Text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DemoScriptIsCopiedBesideTheAppAndFoundByRelativePath()
    {
        Assert.True(File.Exists(MockScript.DemoPath), MockScript.DemoPath);

        using var provider = new ServiceCollection().AddMockChatClient(Path.Combine("Scripts", "demo.yaml")).BuildServiceProvider();

        Assert.Contains("coordinator", provider.GetRequiredService<MockScript>().Agents);
    }

    [Fact]
    public void BrokenScriptFailsWhenTheClientIsResolvedNamingTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mock-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "agents:\n  billing:\n    - steps:\n        - call: x\n          reply: y\n");
        try
        {
            using var provider = new ServiceCollection().AddMockChatClient(path).BuildServiceProvider();

            var error = Assert.Throws<MockScriptException>(() => provider.GetRequiredService<IChatClient>());
            Assert.Equal(4, error.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
