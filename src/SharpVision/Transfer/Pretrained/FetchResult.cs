namespace SharpVision.Transfer.Pretrained;

/// <summary>What <see cref="WeightsFetcher.Fetch"/> produced.</summary>
/// <param name="DownloadedPath">The verified download (e.g. resnet50-0676ba61.pth) in the weights folder.</param>
/// <param name="WasCached">True when the file was already there with a matching checksum (nothing downloaded).</param>
/// <param name="Sha256">The file's full SHA-256 (lower-case hex).</param>
/// <param name="ConvertedPath">The safetensors file usable by --pretrained, or null when no conversion was possible.</param>
/// <param name="Message">What happened and, without a conversion, the exact command that converts the file.</param>
public sealed record FetchResult(string DownloadedPath, bool WasCached, string Sha256, string? ConvertedPath, string Message);
