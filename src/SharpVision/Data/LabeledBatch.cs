using SharpVision.Engine;

namespace SharpVision.Training;

/// <summary>A batch for training or evaluation: inputs (uint8 images NCHW, or float features) and int64 labels.</summary>
public sealed class LabeledBatch : IDisposable
{
    /// <summary>Creates a batch; it owns both tensors.</summary>
    public LabeledBatch(Tensor inputs, Tensor labels, int[] indices)
    {
        Inputs = inputs;
        Labels = labels;
        Indices = indices;
    }

    /// <summary>Images (uint8 or float, NCHW) or features ([N, D] float).</summary>
    public Tensor Inputs { get; }

    /// <summary>Class indices, int64 [N].</summary>
    public Tensor Labels { get; }

    /// <summary>Dataset indices of the items (for reports of mistakes).</summary>
    public int[] Indices { get; }

    /// <summary>Number of items.</summary>
    public int Count => Indices.Length;

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Where the trainer gets its batches: a deterministic order per (seed, epoch), restartable at a batch.</summary>
public interface IBatchSource
{
    /// <summary>Number of items.</summary>
    int Count { get; }

    /// <summary>Number of batches one epoch yields.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The class names, index = label.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The batches of <paramref name="epoch"/> from <paramref name="startBatch"/> on. The caller disposes each batch.</summary>
    IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0);
}

/// <summary>Turns raw batches into model inputs: device, float conversion, augmentation (training only), normalisation.</summary>
public interface IInputPipeline
{
    /// <summary>Prepares inputs. <paramref name="generator"/> drives augmentation randomness (seeded per epoch by the trainer).</summary>
    Tensor Prepare(Tensor inputs, bool training, Generator generator);

    /// <summary>
    /// Batch-level mixing (MixUp/CutMix) during training: returns mixed inputs and soft targets [N, C], or null when
    /// mixing is off (then the hard labels are used).
    /// </summary>
    (Tensor Inputs, Tensor SoftTargets)? Mix(Tensor inputs, Tensor labels, int numClasses, Generator generator);
}
