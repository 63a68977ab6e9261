using SharpVision.Engine;

namespace SharpVision.Data;

/// <summary>A batch from a <see cref="DataLoader"/>: uint8 NCHW images and int64 labels on the CPU. Dispose it when done.</summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels, int[] indices, int index)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
        Index = index;
    }

    /// <summary>The images, uint8 [N, C, H, W].</summary>
    public Tensor Images { get; }

    /// <summary>The labels, int64 [N].</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset index of each image.</summary>
    public int[] Indices { get; }

    /// <summary>Position of this batch in the epoch (counts planned batches, so it is stable when files are skipped).</summary>
    public int Index { get; }

    /// <summary>Number of images (smaller than the batch size for the last batch or when files failed to decode).</summary>
    public int Count => Indices.Length;

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
