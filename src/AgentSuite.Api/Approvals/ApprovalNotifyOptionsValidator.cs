using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Approvals;

/// <summary>Stops the Api at start when the notification settings cannot work, saying which key to fix and how.</summary>
internal sealed class ApprovalNotifyOptionsValidator : IValidateOptions<ApprovalNotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApprovalNotifyOptions options)
    {
        var errors = new List<string>();
        // The receiver's URL is not repeated: a chat tool's webhook URL is itself the secret.
        CheckUrl(options.Url, "Url", null, "the receiver's address, e.g. https://hooks.example.com/approvals", errors);
        CheckUrl(options.PageUrl, "PageUrl", options.PageUrl, "the page's address as approvers reach it, e.g. https://agentsuite.example.com/", errors);
        if (options.Secret is { } secret && string.IsNullOrWhiteSpace(secret))
        {
            errors.Add($"{ApprovalNotifyOptions.Section}:Secret is blank; set a shared secret or remove the key.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"{ApprovalNotifyOptions.Section}:MaxAttempts is {options.MaxAttempts}; it must be at least 1.");
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"{ApprovalNotifyOptions.Section}:QueueCapacity is {options.QueueCapacity}; it must be at least 1.");
        }

        foreach (var (key, value) in new[] { ("GiveUpAfter", options.GiveUpAfter), ("FirstRetryDelay", options.FirstRetryDelay), ("MaxRetryDelay", options.MaxRetryDelay), ("AttemptTimeout", options.AttemptTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{ApprovalNotifyOptions.Section}:{key} is {value}; it must be positive.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(string? value, string key, string? shown, string example, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{ApprovalNotifyOptions.Section}:{key}{(shown is null ? "" : $" '{shown}'")} is not an absolute http or https URL; set it to {example}, or remove it.");
        }
    }
}
