namespace SharpVision.Engine.IO.Pickle;

/// <summary>A storage that a persistent id names: its element type, the archive key of its bytes and its element count.</summary>
internal sealed record PickleStorage(DType DType, string Key, long ElementCount);
