namespace SharpVision.Transfer.Pretrained;

/// <summary>
/// A known set of pretrained weights: the zoo architecture they fit, where torchvision publishes them and how the
/// images they were trained on were preprocessed.
/// </summary>
/// <param name="Name">The short name used on the command line ("mobilenet_v2", "resnet50").</param>
/// <param name="Architecture">The <see cref="Models.ModelZoo"/> architecture.</param>
/// <param name="Url">torchvision's download URL; its file name ends in "-HASH.pth" where HASH is a SHA-256 prefix of the file.</param>
/// <param name="LocalFileName">The converted file's name in a weights folder ("mobilenet_v2_imagenet.safetensors").</param>
/// <param name="InputSize">Crop size the network was trained at (224, or 299 for Inception v3).</param>
/// <param name="ResizeSize">Shorter-side resize before the centre crop at evaluation (256, or 342 for Inception v3).</param>
public sealed record PretrainedEntry(string Name, string Architecture, Uri Url, string LocalFileName, int InputSize, int ResizeSize)
{
    /// <summary>The file name at the end of <see cref="Url"/> ("resnet50-0676ba61.pth").</summary>
    public string DownloadFileName => Path.GetFileName(Url.AbsolutePath);

    /// <summary>The SHA-256 prefix embedded in the download's file name ("0676ba61").</summary>
    public string? HashPrefix => WeightsFetcher.HashPrefixFromFileName(DownloadFileName);
}
