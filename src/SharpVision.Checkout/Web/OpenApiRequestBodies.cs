using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SharpVision.Checkout;

/// <summary>
/// Request bodies for the OpenAPI document. The POST handlers read their bodies themselves (for precise 4xx messages),
/// and declaring them with <c>Accepts&lt;T&gt;()</c> would make routing answer a wrong content type with a bare 415, so
/// the document is completed here instead.
/// </summary>
internal static class OpenApiRequestBodies
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = context.Description.RelativePath;
        if (context.Description.HttpMethod != "POST") return Task.CompletedTask;
        if (route == "api/classify")
            operation.RequestBody = Body("multipart/form-data", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { ClassifyEndpoint.FieldName },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [ClassifyEndpoint.FieldName] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "A JPEG, PNG or WebP photo." },
                },
            });
        else if (route == "api/orders")
            operation.RequestBody = Body("application/json", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "items" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["items"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "class", "quantity" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["class"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A catalogue class, e.g. donuts." },
                                ["quantity"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                            },
                        },
                    },
                },
            });
        return Task.CompletedTask;
    }

    private static OpenApiRequestBody Body(string mediaType, OpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } },
    };
}
