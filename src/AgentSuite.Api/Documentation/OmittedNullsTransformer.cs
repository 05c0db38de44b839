using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AgentSuite.Api.Documentation;

/// <summary>
/// The Api leaves null-valued fields out of its JSON (<c>WhenWritingNull</c>), so a property that may be null is
/// never required: without this the generator marks every constructor parameter of a record as required.
/// </summary>
internal sealed class OmittedNullsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required)
        {
            // IsGetNullable follows the nullable annotations, and is true for Nullable<T>.
            foreach (var property in context.JsonTypeInfo.Properties.Where(p => p.IsGetNullable))
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
