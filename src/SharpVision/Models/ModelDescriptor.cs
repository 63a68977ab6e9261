using SharpVision.Data;

namespace SharpVision.Models;

/// <summary>
/// Everything needed to use a saved model without its training run: the architecture and its options, the class
/// names (index = output), the input size and how images are resized and normalised, and a training summary.
/// </summary>
public sealed record ModelDescriptor
{
    /// <summary>Zoo name of the architecture (e.g. "cafe-cnn", "mobilenet_v2").</summary>
    public required string Architecture { get; init; }

    /// <summary>The options the architecture was built with.</summary>
    public required ModelOptions Options { get; init; }

    /// <summary>Class names in output order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Input channels.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Input height in pixels.</summary>
    public required int InputHeight { get; init; }

    /// <summary>Input width in pixels.</summary>
    public required int InputWidth { get; init; }

    /// <summary>How photos are brought to the input size.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>How pixels are normalised after scaling to [0, 1].</summary>
    public Normalization Normalization { get; init; } = Normalization.Unit;

    /// <summary>Facts about the training run (epochs, best validation accuracy, data, date, command...).</summary>
    public IReadOnlyDictionary<string, string> Training { get; init; } = new Dictionary<string, string>();

    /// <summary>Calibrated open-set rejection ("not one of the classes"), or null when the model was never calibrated.</summary>
    public UnknownDetector? Unknown { get; init; }
}
