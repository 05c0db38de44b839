namespace AgentSuite.Api.Auth;

/// <summary>The 403 every scheme answers: who the caller is and the role the endpoint needs.</summary>
internal static class CallerRefusals
{
    public static Task ForbiddenAsync(HttpContext context)
    {
        var caller = context.User.Identity?.Name ?? "The caller";
        var needed = context.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleMetadata>()?.Names ?? "another";
        return Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"'{caller}' does not hold the '{needed}' role this call needs.");
    }
}
