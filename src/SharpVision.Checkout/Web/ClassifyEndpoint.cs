using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace SharpVision.Checkout;

/// <summary><c>POST /api/classify</c>: one photo in multipart field <c>image</c> → top-k products and whether to ask the customer.</summary>
internal static class ClassifyEndpoint
{
    public const string FieldName = "image";

    /// <summary>What a customer reads when the photo cannot be used (the detail goes to the log).</summary>
    public const string UnreadablePhoto = "we could not read this photo (it may be damaged, cut off or too large); please take another one";

    private const string LogCategory = "SharpVision.Checkout.Classify";

    /// <summary>Room for multipart headers and boundaries on top of the file itself.</summary>
    public const long MultipartOverhead = 64 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context, InferenceBatcher batcher, ProductCatalogue catalogue, CheckoutOptions options,
        IImageClassifier classifier, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Api.Error(StatusCodes.Status415UnsupportedMediaType,
                $"expected a multipart/form-data upload with the photo in field '{FieldName}', got content type '{request.ContentType ?? "(none)"}'");
        if (request.ContentLength > options.MaxUploadBytes + MultipartOverhead) return TooLarge(options);

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge(options);
        }
        catch (InvalidDataException e)
        {
            logs.CreateLogger(LogCategory).LogInformation("malformed multipart upload: {Detail}", e.Message);
            return Api.Error(StatusCodes.Status400BadRequest, $"malformed upload: please send the photo as multipart/form-data (with a boundary) in field '{FieldName}'");
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(options) : Api.Error(e.StatusCode, $"bad upload: {e.Message}");
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            return Api.Error(StatusCodes.Status400BadRequest, "the upload was cut off before it ended");
        }

        var file = form.Files.GetFile(FieldName);
        if (file is null)
        {
            var got = form.Files.Select(f => f.Name).Concat(form.Keys).Distinct().ToList();
            return Api.Error(StatusCodes.Status400BadRequest,
                $"missing file field '{FieldName}'" + (got.Count > 0 ? $" (the upload has: {string.Join(", ", got.Select(g => $"'{ImageSignature.SafeName(g)}'"))})" : ""));
        }
        var name = ImageSignature.SafeName(file.FileName);
        if (file.Length == 0) return Api.Error(StatusCodes.Status400BadRequest, $"{name}: the file is empty");
        if (file.Length > options.MaxUploadBytes) return TooLarge(options, name);

        // The upload only ever lives in memory; the client's file name is a label, never a path.
        var data = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
            await stream.ReadExactlyAsync(data, cancellationToken);
        if (ImageSignature.Accepted(data) is null)
            return Api.Error(StatusCodes.Status415UnsupportedMediaType, $"{name}: {ImageSignature.Describe(data)}; {ImageSignature.AcceptedFormats}");

        var outcome = await batcher.ClassifyAsync(new EncodedImage(data, name), cancellationToken);
        if (outcome.Error is { } error)
        {
            // The decoder's reason (libpng/libjpeg text, limits to raise) is for the log; the customer gets a plain message.
            logs.CreateLogger(LogCategory).LogInformation("upload {Name} could not be used: {Reason}", name, error);
            return Api.Error(StatusCodes.Status422UnprocessableEntity, $"{name}: {UnreadablePhoto}");
        }
        if (outcome.TopK is not { Count: > 0 } topK) throw new ClassifierFailedException($"classifier returned neither predictions nor an error for {name}");

        var predictions = topK.Select(p => new PredictionDto(p.Class, p.Probability,
            catalogue.TryGet(p.Class, out var entry) ? ProductDto.From(entry) : null)).ToList();
        var best = predictions[0];
        // An image the model calls unknown is never priced without the customer choosing from the menu.
        var needsConfirmation = !outcome.Known || best.Probability < options.ConfidenceThreshold || best.Product is null;
        return Results.Json(new ClassifyResponse(name, predictions, best, needsConfirmation, options.ConfidenceThreshold, classifier.Info.ModelName, outcome.Known));
    }

    private static IResult TooLarge(CheckoutOptions options, string? name = null) =>
        Api.Error(StatusCodes.Status413PayloadTooLarge,
            $"{(name is null ? "the upload" : name)} is larger than the {options.MaxUploadBytes / (1024.0 * 1024):0.#} MB limit");
}
