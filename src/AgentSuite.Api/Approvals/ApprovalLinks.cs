using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// Where the page and the API are reached, for links to the inbox and to a conversation. The base is
/// <c>Governance:Approval:Notify:PageUrl</c>; without it, the address the caller used (in an API answer), or the
/// address the Api listens on when it names a host (a wildcard such as <c>0.0.0.0</c> names none, so a notification
/// then has no links).
/// </summary>
internal sealed class ApprovalLinks(IOptionsMonitor<ApprovalNotifyOptions> options, IServer server)
{
    /// <summary>The page's approvals tab.</summary>
    public const string InboxPath = "/#approvals";

    /// <summary>The page's approvals tab showing one conversation's messages, read-only: what an approver may open.</summary>
    public static string ConversationPagePath(string conversationId) => $"/#approvals?conversation={Uri.EscapeDataString(conversationId)}";

    public static string ConversationApiPath(string conversationId) => $"/api/conversations/{Uri.EscapeDataString(conversationId)}";

    public static string ApprovalApiPath(string approvalId) => $"/api/approvals/{Uri.EscapeDataString(approvalId)}";

    /// <summary>The base for links in an answer to <paramref name="request"/>.</summary>
    public string BaseFor(HttpRequest request) =>
        Configured() ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The base for links sent out of the Api, or null when no reliable one is known.</summary>
    public string? BaseForNotification() => Configured() ?? Listening();

    public static string Join(string baseUrl, string path) => baseUrl.TrimEnd('/') + path;

    private string? Configured()
    {
        try
        {
            return options.CurrentValue.PageUrl is { Length: > 0 } page ? page.TrimEnd('/') : null;
        }
        catch (OptionsValidationException)
        {
            // Settings reloaded into an invalid state: an approval is still shown, with links on the caller's address.
            return null;
        }
    }

    private string? Listening()
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && !IsWildcard(uri.Host))
            {
                return uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/');
            }
        }

        return null;
    }

    private static bool IsWildcard(string host) =>
        host is "+" or "*" or "[::]" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
}
