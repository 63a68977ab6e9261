using Microsoft.AspNetCore.Http;

namespace SharpVision.Checkout;

/// <summary>Small helpers shared by the endpoints.</summary>
internal static class Api
{
    public static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>Reads a request body up to <paramref name="limit"/> bytes; null when it is longer.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
