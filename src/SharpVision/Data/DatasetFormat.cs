namespace SharpVision.Data;

/// <summary>On-disk dataset layouts.</summary>
public enum DatasetFormat
{
    /// <summary>Detect from the folder's contents.</summary>
    Auto,
    /// <summary>One subfolder per class.</summary>
    Folder,
    /// <summary>Food-101: images/&lt;class&gt;/&lt;id&gt;.jpg with meta/train.txt and meta/test.txt.</summary>
    Food101,
    /// <summary>MNIST / Fashion-MNIST IDX files.</summary>
    Idx,
    /// <summary>CIFAR-10 binary batches.</summary>
    Cifar10,
    /// <summary>CIFAR-100 binary (fine labels).</summary>
    Cifar100,
}
