using AgentSuite.Governance.Screening;

namespace AgentSuite.Governance.Approvals;

/// <summary>
/// The customer's message as an approval keeps it, for approvers (and a webhook that opts in) to read: secrets masked by
/// the governance redactor, then cut to <see cref="MaxChars"/> with an ellipsis. Masked before the cut, so a secret
/// the cut would split is still masked.
/// </summary>
public static class CustomerRequest
{
    public const int MaxChars = 500;

    public const string Ellipsis = "…";

    public static string? Prepare(string? message, SecretRedactor? redactor)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        var text = redactor is null ? message : redactor.Redact(message, out _);
        if (text.Length <= MaxChars)
        {
            return text;
        }

        var cut = MaxChars - Ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--; // never half a character
        }

        return text[..cut] + Ellipsis;
    }
}
