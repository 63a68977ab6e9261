using SharpVision.Engine;
using SharpVision.Inference;

namespace SharpVision.Onnx;

/// <summary>
/// Opens whatever model file predict, evaluate and serve are given: an .onnx file runs on ONNX Runtime
/// (<see cref="OnnxImageClassifier"/>, without libtorch), anything else is a SharpVision model file on libtorch
/// (<see cref="ImageClassifier"/>).
/// </summary>
public static class ImagePredictors
{
    /// <summary>True for a path that names an ONNX model (.onnx).</summary>
    public static bool IsOnnx(string path) => string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, of the wrong kind, or lacks metadata (named).</exception>
    /// <exception cref="ArgumentException">ONNX-only settings were given for a .safetensors model.</exception>
    public static IImagePredictor Load(string path, ImagePredictorOptions? options = null)
    {
        options ??= new ImagePredictorOptions();
        if (IsOnnx(path))
        {
            var overrides = options.InputSize is { } size ? options.Onnx with { Input = size } : options.Onnx;
            return OnnxImageClassifier.Load(path, overrides, options.Threads);
        }
        if (!options.Onnx.IsEmpty)
            throw new ArgumentException($"{path}: --classes, --input and --normalize describe .onnx models; a SharpVision model file carries its own");
        if (options.Threads is { } t) Torch.NumThreads = t;
        return options.InputSize is { } s
            ? ImageClassifier.Load(path, s.Height, s.Width, options.Device)
            : ImageClassifier.Load(path, options.Device);
    }
}
