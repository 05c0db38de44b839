using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

public static class RecordingChatClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> in a <see cref="RecordingChatClient"/> that writes each model exchange to
    /// <c>{folder}/{conversation}.jsonl</c>, with every one of <paramref name="secrets"/> written as <c>[secret]</c>.
    /// </summary>
    public static RecordingChatClient WithRecording(this IChatClient client, string folder, IEnumerable<string?>? secrets = null) =>
        new(client, folder, secrets);
}
