namespace SharpVision.Data;

/// <summary>How thoroughly file-based datasets check their images when opened.</summary>
public enum HeaderValidation
{
    /// <summary>Trust the file list; bad files are only found (and skipped) when loaded.</summary>
    None = 0,
    /// <summary>Read each header (magic and dimensions, first 64 KiB): cheap, catches most broken files. The default.</summary>
    Header = 1,
    /// <summary>Decode every image once: slow for big datasets, but also catches truncated files before training.</summary>
    FullDecode = 2,
}
