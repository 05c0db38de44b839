using Microsoft.OpenApi;

namespace AgentSuite.Api.Documentation;

/// <summary>OpenAPI metadata that several endpoints share.</summary>
internal static class EndpointDocumentation
{
    /// <summary>Documents the refusals of a call that needs a role: 401 without a valid key, 403 without the role.</summary>
    public static TBuilder ProducesCallerProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>
    /// Documents a JSON request body of <typeparamref name="TBody"/> for a handler that reads its body itself
    /// (<c>JsonBody</c>). Not <c>Accepts</c>: that makes routing answer a bare 415 to a body sent without
    /// <c>Content-Type: application/json</c> (curl -d) before the handler can read it or explain what is wrong.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), cancellationToken: cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>
    /// Adds a 200 <paramref name="contentType"/> stream of <typeparamref name="TEvent"/> beside the endpoint's JSON answer
    /// (response metadata holds one type per status code, so the second content type is added to the document here).
    /// </summary>
    public static RouteHandlerBuilder ProducesEventStream<TEvent>(this RouteHandlerBuilder builder, string contentType) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TEvent), cancellationToken: cancellationToken);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue("200", out var ok))
            {
                ok = operation.Responses["200"] = new OpenApiResponse { Description = "OK" };
            }

            if (ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[contentType] = new OpenApiMediaType { Schema = schema };
            }
        });
}
