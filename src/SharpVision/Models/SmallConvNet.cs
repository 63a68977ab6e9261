using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// The textbook dogs-vs-cats convnet (Deep Learning with Python, 180×180×3): Rescaling 1/255 → Conv 3×3
/// 32/64/128/256/256 (ReLU) with MaxPool 2 after the first four → Flatten → [Dropout] → Dense. Two classes (or one)
/// give a single unit (sigmoid when OutputProbabilities): 991,041 parameters at 180×180; more classes give a softmax
/// layer of that width.
/// </summary>
public sealed class SmallConvNet : SequentialClassifier
{
    /// <summary>Builds the model for the options' input size (default 180×180).</summary>
    public SmallConvNet(ModelOptions options) : base("small_convnet", options.OutputProbabilities)
    {
        Append(new Rescaling(1.0 / 255));
        int h = options.InputHeight, w = options.InputWidth, c = options.InputChannels;
        var filters = new[] { 32, 64, 128, 256, 256 };
        for (var i = 0; i < filters.Length; i++)
        {
            Append(new Conv2d(c, filters[i], 3, activation: Activation.Relu));
            h = OutputSize(h, 3);
            w = OutputSize(w, 3);
            RequirePositive("small-convnet", options, h, w);
            c = filters[i];
            if (i < filters.Length - 1)
            {
                Append(new MaxPool2d(2));
                h /= 2;
                w /= 2;
                RequirePositive("small-convnet", options, h, w);
            }
        }
        Append(new Flatten());
        if (options.Dropout is { } p) Append(new Dropout(p));
        AppendHead(c * h * w, options.NumClasses);
    }

    /// <inheritdoc />
    protected override int UnitsFor(int numClasses) => numClasses <= 2 ? 1 : numClasses;
}
