using Microsoft.AspNetCore.Http;

namespace SharpVision.Checkout;

/// <summary>
/// Response headers on every answer: a Content-Security-Policy that allows only the till's own scripts and styles (no
/// inline script or style, no framing), nosniff, no referrer, and no caching of API or staff responses.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The policy. <c>blob:</c> images are the customer's own photo preview; media is the camera stream.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/staff")) headers.CacheControl = "no-store";
        return next(context);
    }
}
