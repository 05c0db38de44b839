using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace AgentSuite.Api;

/// <summary>
/// A request with a body must send it as <c>Content-Type: application/json</c>, or it is refused with 415 before any
/// endpoint reads it: a browser sends a form or <c>text/plain</c> POST to another site without asking (no CORS
/// preflight), and JSON it does not send that way.
/// </summary>
internal static class JsonRequestBodies
{
    public static IApplicationBuilder UseJsonRequestBodies(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (HasBody(http) && !IsJson(request.ContentType))
            {
                var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
                await Problems.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                    $"The body was sent with {sent}; the Api reads only JSON. Send it with Content-Type: application/json (curl: -H 'Content-Type: application/json').");
                return;
            }

            await next(http);
        });

    private static bool HasBody(HttpContext http) =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? http.Request.ContentLength > 0;

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
