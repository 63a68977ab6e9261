namespace SharpVision.Data;

/// <summary>A dataset cannot be opened (missing folder or metadata, no classes, no usable images); <see cref="Path"/> says where.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetException(string path, string reason, Exception? inner = null) : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The folder or file at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
