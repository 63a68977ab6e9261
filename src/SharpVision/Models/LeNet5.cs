using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// LeNet-5 (LeCun et al. 1998, Keras-style): Conv 6@5×5 "same" (tanh) → AvgPool 2 → Conv 16@5×5 (tanh) → AvgPool 2 →
/// Flatten → Dense 120 (tanh) → Dense 84 (tanh) → Dense classes. At 28×28×1 and 10 classes: 61,706 parameters.
/// ModelOptions.Dropout adds dropout after the two hidden dense layers.
/// </summary>
public sealed class LeNet5 : SequentialClassifier
{
    /// <summary>Builds the model for the options' input size (default 28×28).</summary>
    public LeNet5(ModelOptions options) : base("lenet5", options.OutputProbabilities)
    {
        Append(new Conv2d(options.InputChannels, 6, 5, padding: 2, activation: Activation.Tanh));
        Append(new AvgPool2d(2));
        Append(new Conv2d(6, 16, 5, activation: Activation.Tanh));
        Append(new AvgPool2d(2));
        Append(new Flatten());
        var h = OutputSize(options.InputHeight / 2, 5) / 2;
        var w = OutputSize(options.InputWidth / 2, 5) / 2;
        RequirePositive("lenet5", options, h, w);
        Append(new Linear(16 * h * w, 120, activation: Activation.Tanh));
        if (options.Dropout is { } p1) Append(new Dropout(p1));
        Append(new Linear(120, 84, activation: Activation.Tanh));
        if (options.Dropout is { } p2) Append(new Dropout(p2));
        AppendHead(84, options.NumClasses);
    }
}
