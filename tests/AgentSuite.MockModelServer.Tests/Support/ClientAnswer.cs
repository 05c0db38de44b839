using OpenAI.Chat;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>What the official client made of one answer, streamed or not, in one shape so the two can be compared.</summary>
public sealed record ClientAnswer(string Text, int TextPieces, IReadOnlyList<ClientToolCall> Calls, ChatFinishReason? FinishReason, ChatTokenUsage? Usage)
{
    /// <summary>The calls as the assistant message a client sends back with the tools' results.</summary>
    public AssistantChatMessage AsAssistantMessage() =>
        new(Calls.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.Arguments))));
}
