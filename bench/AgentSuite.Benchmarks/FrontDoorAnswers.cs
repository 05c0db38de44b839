using System.Text.RegularExpressions;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Sorts an answer into a reply, a refusal with a reason the caller can act on, or an error. A refund reply that Billing
/// replayed is an error: only a second turn for one request can reach Billing with a key it has seen.
/// </summary>
internal static partial class FrontDoorAnswers
{
    public static FrontDoorOutcome Classify(string text, bool isError, string? refundRequest)
    {
        if (!isError && refundRequest is not null && RefundReply().Match(text) is { Success: true } refund)
        {
            return refund.Groups["request"].Value != refundRequest
                ? FrontDoorOutcome.Error($"a reply for request {refund.Groups["request"].Value} to request {refundRequest}")
                : refund.Groups["replayed"].Value == "true"
                    ? FrontDoorOutcome.Error("Billing replayed a refund: a second turn reached Billing for one request")
                    : FrontDoorOutcome.Answered(refund.Groups["id"].Value);
        }

        if (!isError && refundRequest is null && LookupReply().IsMatch(text))
        {
            return FrontDoorOutcome.Answered();
        }

        return text switch
        {
            _ when isError && text.Contains("was used for another request", StringComparison.Ordinal) => FrontDoorOutcome.Refused("idempotency key reused for another message"),
            _ when isError && text.Contains("may not ask", StringComparison.Ordinal) => FrontDoorOutcome.Refused("may not ask this agent"),
            _ when text.Contains("waiting for approval: ", StringComparison.Ordinal) => FrontDoorOutcome.Refused("waiting for approval"),
            _ when text.Contains("still running;", StringComparison.Ordinal) || text.Contains("still starting;", StringComparison.Ordinal) => FrontDoorOutcome.Refused("wait_seconds ran out"),
            _ when !isError && (text.StartsWith("I did not refund", StringComparison.Ordinal) || text.StartsWith("I could not hand", StringComparison.Ordinal)) =>
                FrontDoorOutcome.Refused("denied: " + Shorten(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..])),
            _ => FrontDoorOutcome.Error((isError ? "isError: " : "unexpected reply: ") + Shorten(text)),
        };
    }

    private static string Shorten(string text)
    {
        var line = text.Trim().ReplaceLineEndings(" ");
        return line.Length <= 120 ? line : line[..120] + "…";
    }

    [GeneratedRegex(@"^Refunded 0\.01 USD on CH-4 of INV-1004 for request (?<request>\S+); the refund id is (?<id>RF-\d+) \(replayed: (?<replayed>\w+)\)\.")]
    private static partial Regex RefundReply();

    [GeneratedRegex(@"^Invoice INV-\d+ for [^:]+: charged ")]
    private static partial Regex LookupReply();
}
