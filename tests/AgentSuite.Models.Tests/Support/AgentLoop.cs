using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>
/// A small tool loop in the conventions of FunctionInvokingChatClient (and of AgentSuite.Agents' loop): ask the model,
/// run the tools it calls, feed the results back, withdraw tools on the last iteration. Unknown tools come back as a
/// denial, tool exceptions as a failure result. With a <paramref name="conversation"/> id, every request carries it as
/// the agent loop does (<c>agentsuite.conversation</c>).
/// </summary>
public sealed class AgentLoop(IChatClient model, bool streaming = false, int maximumIterations = 8, string? conversation = null)
{
    /// <summary>Every model response of every agent, in order, for assertions on what the model asked for.</summary>
    public List<(string Agent, ChatResponse Response)> Responses { get; } = [];

    public async Task<string> RunAsync(string agent, string userText, IReadOnlyList<AIFunction> tools)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, $"You are the {agent} agent."), new(ChatRole.User, userText) };
        for (var iteration = 0; ; iteration++)
        {
            var last = iteration >= maximumIterations - 1;
            var options = new ChatOptions
            {
                AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = agent },
                Tools = last ? null : [.. tools],
            };
            if (conversation is not null)
            {
                options.AdditionalProperties[MockChatClient.ConversationPropertyKey] = conversation;
            }

            var response = streaming
                ? await model.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
                : await model.GetResponseAsync(messages, options);
            Responses.Add((agent, response));
            messages.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
            if (calls.Count == 0 || last)
            {
                return response.Text;
            }

            foreach (var call in calls)
            {
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, await InvokeAsync(call, tools))]));
            }
        }
    }

    private static async Task<object?> InvokeAsync(FunctionCallContent call, IReadOnlyList<AIFunction> tools)
    {
        var tool = tools.FirstOrDefault(t => t.Name == call.Name);
        if (tool is null)
        {
            return Json.Denial(call.Name, "allow-list", $"'{call.Name}' is not a tool this agent may use.");
        }

        try
        {
            return await tool.InvokeAsync(new AIFunctionArguments(call.Arguments));
        }
        catch (InvalidOperationException ex)
        {
            return Json.Failure(call.Name, ex.Message);
        }
    }
}
