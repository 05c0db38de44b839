using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Agents.Turns;

/// <summary>
/// A saved message (Microsoft.Extensions.AI's shape, as the tool loop holds it) as Semantic Kernel's chat history holds
/// it: text, tool calls under the names the model used, and tool results, which SK turns back into the same message.
/// </summary>
internal static class KernelMessages
{
    public static ChatMessageContent ToKernel(ChatMessage message)
    {
        var items = new ChatMessageContentItemCollection();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case Microsoft.Extensions.AI.TextContent text:
                    items.Add(new Microsoft.SemanticKernel.TextContent(text.Text));
                    break;
                case Microsoft.Extensions.AI.FunctionCallContent call:
                    items.Add(new Microsoft.SemanticKernel.FunctionCallContent(call.Name, pluginName: null, call.CallId, call.Arguments is null ? null : new KernelArguments(call.Arguments)));
                    break;
                case Microsoft.Extensions.AI.FunctionResultContent result:
                    items.Add(new Microsoft.SemanticKernel.FunctionResultContent(functionName: null, pluginName: null, result.CallId, result.Result));
                    break;
            }
        }

        return new ChatMessageContent(new AuthorRole(message.Role.Value), items) { AuthorName = message.AuthorName };
    }
}
