namespace SharpVision.Data;

/// <summary>How <see cref="Sharding.Shard{T}"/> sizes the shares of an order that the world size does not divide.</summary>
public enum ShardSize
{
    /// <summary>Every item once: the first n mod W ranks get one item more.</summary>
    Uneven,

    /// <summary>Cut to a multiple of the world size (the tail is dropped), so all ranks run the same number of steps.</summary>
    Even,

    /// <summary>Padded by repeating the start of the order, so every rank gets ⌈n / W⌉ items (PyTorch's DistributedSampler).</summary>
    Padded,
}
