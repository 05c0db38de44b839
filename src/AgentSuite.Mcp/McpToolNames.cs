using System.Text;

namespace AgentSuite.Mcp;

/// <summary>
/// Model-facing tool names: <c>{server}_{tool}</c>, the kernel plugin and function names Semantic Kernel joins with '_'.
/// SK allows only letters, digits and '_' in them (OpenAI allows '-' too), and OpenAI at most 64 characters; governance
/// keeps the real <c>server/tool</c>.
/// </summary>
public static class McpToolNames
{
    public const int MaxLength = 64;

    /// <summary>The kernel plugin name of <paramref name="server"/>'s tools.</summary>
    public static string Plugin(string server)
    {
        var builder = new StringBuilder(server.Length);
        Append(builder, server);
        return builder.ToString();
    }

    public static string ForModel(string server, string tool)
    {
        var builder = new StringBuilder(server.Length + tool.Length + 1);
        Append(builder, server);
        builder.Append('_');
        Append(builder, tool);
        var name = builder.ToString();
        if (name.Length <= MaxLength)
        {
            return name;
        }

        // Too long: keep a readable prefix and make it unique with a short hash of the full identity.
        var hash = AgentSuite.Governance.Hashing.Sha256Hex(Encoding.UTF8.GetBytes(server + "/" + tool))[..8];
        return name[..(MaxLength - 9)] + "_" + hash;
    }

    private static void Append(StringBuilder builder, string part)
    {
        foreach (var c in part)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
    }
}
