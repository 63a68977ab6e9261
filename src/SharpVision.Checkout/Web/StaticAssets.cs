using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace SharpVision.Checkout;

/// <summary>
/// The customer and staff pages, embedded in the assembly so the till works wherever the library is hosted (CLI,
/// tests) without a wwwroot folder or any CDN.
/// </summary>
internal static class StaticAssets
{
    private static readonly Assembly Self = typeof(StaticAssets).Assembly;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The embedded asset names (file names only, e.g. <c>app.js</c>).</summary>
    public static IReadOnlySet<string> Names { get; } = Self.GetManifestResourceNames()
        .Where(n => n.StartsWith("assets/", StringComparison.Ordinal)).Select(n => n["assets/".Length..]).ToHashSet(StringComparer.Ordinal);

    public static IResult Serve(string fileName)
    {
        // Only names we embedded are served; anything else (including ../ tricks) is a plain 404.
        if (!Names.Contains(fileName) || Self.GetManifestResourceStream("assets/" + fileName) is not { } stream)
            return Api.Error(StatusCodes.Status404NotFound, $"no asset '{ImageSignature.SafeName(fileName)}'");
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(fileName), "application/octet-stream");
        return Results.Stream(stream, type);
    }
}
