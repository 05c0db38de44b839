using AgentSuite.Governance;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Auth;

/// <summary>Refuses to start with a key that is empty, too short to be a secret, duplicated, nameless or with an unknown role.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    private const int MinimumKeyLength = 16;
    private static readonly string[] KnownRoles = [Roles.User, Roles.Approver, Roles.Admin, Roles.Delegate];

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            if (key.Key.Length < MinimumKeyLength)
            {
                errors.Add($"Auth:Keys:{i}:Key must be at least {MinimumKeyLength} characters (use a random secret).");
            }
            else if (!seen.Add(key.Key))
            {
                errors.Add($"Auth:Keys:{i}:Key is the same as an earlier key; each key must identify one caller.");
            }

            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"Auth:Keys:{i}:Name is empty; it is the name the audit records.");
            }

            foreach (var role in key.Roles.Where(r => !KnownRoles.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"Auth:Keys:{i}:Roles: '{role}' is not a role; use {string.Join(", ", KnownRoles)}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
