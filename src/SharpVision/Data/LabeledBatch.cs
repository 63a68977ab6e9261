using SharpVision.Engine;

namespace SharpVision.Data;

/// <summary>
/// A batch for training or evaluation: inputs (uint8 images NCHW from a <see cref="DataLoader"/>, or float features)
/// and int64 labels. It owns its tensors: dispose it when done.
/// </summary>
public sealed class LabeledBatch : IDisposable
{
    /// <summary>Creates a batch; it owns both tensors.</summary>
    public LabeledBatch(Tensor inputs, Tensor labels, int[] indices, int index = -1)
    {
        Inputs = inputs;
        Labels = labels;
        Indices = indices;
        Index = index;
    }

    /// <summary>Images (uint8 or float, NCHW) or features ([N, D] float).</summary>
    public Tensor Inputs { get; }

    /// <summary>Class indices, int64 [N].</summary>
    public Tensor Labels { get; }

    /// <summary>Dataset indices of the items (for reports of mistakes).</summary>
    public int[] Indices { get; }

    /// <summary>
    /// Position of this batch in its epoch, counting planned batches (stable when files are skipped); −1 when the
    /// source has no epoch plan.
    /// </summary>
    public int Index { get; }

    /// <summary>Number of items (smaller than the batch size for the last batch or when files failed to decode).</summary>
    public int Count => Indices.Length;

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}
