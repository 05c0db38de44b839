using AgentSuite.Api.Documentation;

namespace AgentSuite.Api;

/// <summary>
/// Headers on every response, errors included (set as the response starts, after any handler has cleared it): a
/// content security policy that lets the page load only its own files and no one frame it, no MIME sniffing, no
/// referrer, and nothing under <c>/api</c> kept by a cache (an event stream is not cached either).
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>The Development-only API reference starts itself with an inline module script and styles its elements inline.</summary>
    public const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; object-src 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var reference = app.Environment.IsDevelopment() ? ApiDocumentation.ReferencePath : null;
        app.Use((http, next) =>
        {
            http.Response.OnStarting(static state => Apply(((HttpContext, string?))state), (http, reference));
            return next(http);
        });
        return app;
    }

    private static Task Apply((HttpContext Http, string? ReferencePath) state)
    {
        var (http, referencePath) = state;
        var headers = http.Response.Headers;
        var path = http.Request.Path;
        headers.ContentSecurityPolicy = referencePath is not null && path.StartsWithSegments(referencePath) ? ReferencePolicy : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (path.StartsWithSegments("/api"))
        {
            headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    }
}
