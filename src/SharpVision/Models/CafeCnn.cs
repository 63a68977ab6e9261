using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// The café/food CNN (Keras tutorial style, 128×128×3): Conv 32@7×7 → MaxPool 2 → Conv 64@5×5 → MaxPool 2 →
/// Conv 128@3×3 → MaxPool 2 → Conv 256@3×3 → MaxPool 2 → Flatten → Dense 256 → Dense 256 → Dense 64 → Dense classes,
/// ReLU, valid padding. 2,146,245 parameters at 128×128 with 5 classes. The dropout variant (cafe-cnn-dropout) adds
/// Dropout(0.25) after each conv block and each hidden dense layer.
/// </summary>
public sealed class CafeCnn : SequentialClassifier
{
    /// <summary>Builds the model for the options' input size (default 128×128).</summary>
    public CafeCnn(ModelOptions options, bool withDropout) : base(withDropout ? "cafe_cnn_dropout" : "cafe_cnn", options.OutputProbabilities)
    {
        double? p = withDropout ? options.Dropout ?? 0.25 : options.Dropout;
        int h = options.InputHeight, w = options.InputWidth, c = options.InputChannels;
        foreach (var (filters, k) in new[] { (32, 7), (64, 5), (128, 3), (256, 3) })
        {
            Append(new Conv2d(c, filters, k, activation: Activation.Relu));
            Append(new MaxPool2d(2));
            if (p is { } dp) Append(new Dropout(dp));
            h = OutputSize(h, k) / 2;
            w = OutputSize(w, k) / 2;
            RequirePositive(withDropout ? "cafe-cnn-dropout" : "cafe-cnn", options, h, w);
            c = filters;
        }
        Append(new Flatten());
        var features = c * h * w;
        foreach (var units in new[] { 256, 256, 64 })
        {
            Append(new Linear(features, units, activation: Activation.Relu));
            if (p is { } dp) Append(new Dropout(dp));
            features = units;
        }
        AppendHead(features, options.NumClasses);
    }
}
