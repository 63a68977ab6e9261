namespace SharpVision.Onnx;

/// <summary>How <see cref="OnnxWeightsImporter"/> maps an ONNX model's weights onto a zoo model.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>The ONNX model takes BGR input (CNTK, Caffe): reverse the first convolution's input channels so the import takes RGB.</summary>
    public bool Bgr { get; init; }

    /// <summary>
    /// The model's own preprocessing graph (e.g. ResNetPreprocess.onnx of ML.NET's DnnImageFeaturizer: RGB→BGR and a
    /// 0–255 mean image subtracted). Its channel swap and per-channel mean are folded into the first convolution and
    /// its BatchNorm so the import takes ImageNet-normalised RGB like every torchvision backbone.
    /// </summary>
    public string? PreprocessPath { get; init; }

    /// <summary>Seed of the random inputs of the ONNX Runtime verification.</summary>
    public ulong Seed { get; init; } = 17;
}
