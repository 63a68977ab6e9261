using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// A classifier split into a backbone (feature extractor) and a head, for transfer learning: freeze the backbone,
/// replace the head for a new class count, or cache pooled features. Implemented by the torchvision models.
/// </summary>
public interface IClassifierModel
{
    /// <summary>The whole model.</summary>
    Module Model { get; }

    /// <summary>Path of the final classification layer, e.g. "fc" (ResNet, Inception), "classifier.6" (VGG), "classifier.1" (MobileNetV2).</summary>
    string HeadPrefix { get; }

    /// <summary>Paths of every module that depends on the class count ("fc" and "AuxLogits.fc" for Inception v3).</summary>
    IReadOnlyList<string> HeadPaths { get; }

    /// <summary>Width of the features the head consumes (512 for ResNet-18, 4096 for VGG, 1280 for MobileNetV2, 2048 for Inception v3).</summary>
    int FeatureDim { get; }

    /// <summary>Blocks whose pooled outputs are appended to the features (<see cref="Models.FeatureTaps"/>); empty for most models.</summary>
    IReadOnlyList<string> FeatureTapPaths => Array.Empty<string>();

    /// <summary>Current number of classes.</summary>
    int NumClasses { get; }

    /// <summary>Runs everything but the head: images [N, C, H, W] → features [N, FeatureDim].</summary>
    Tensor ForwardFeatures(Tensor input);

    /// <summary>Runs the head (including any dropout in front of it): features → logits [N, NumClasses].</summary>
    Tensor ForwardHead(Tensor features);

    /// <summary>Replaces the head (and auxiliary heads) by freshly initialised layers for <paramref name="numClasses"/> classes.</summary>
    void ReplaceHead(int numClasses);
}
