using System.Security.Cryptography;
using System.Text;

namespace SharpVision.Data;

/// <summary>
/// A list of image files to leave out of training (one path per line, blank lines and lines starting with # ignored),
/// e.g. the <c>exclude.txt</c> of <c>sharpvision audit</c>. Paths are compared as full paths, relative ones resolved
/// against the current folder, as the dataset's own file names are.
/// </summary>
public sealed class ExclusionList
{
    private readonly HashSet<string> files;

    private ExclusionList(string source, HashSet<string> files)
    {
        Source = source;
        this.files = files;
    }

    /// <summary>The list's file.</summary>
    public string Source { get; }

    /// <summary>Number of distinct files listed.</summary>
    public int Count => files.Count;

    /// <summary>SHA-256 (hex, first 12 digits) of the sorted full paths: identifies the list's content.</summary>
    public string Fingerprint
    {
        get
        {
            var text = string.Join("\n", files.OrderBy(f => f, StringComparer.Ordinal));
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
        }
    }

    /// <summary>Reads a list.</summary>
    /// <exception cref="FileNotFoundException">The list does not exist (named).</exception>
    public static ExclusionList Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"exclusion list not found: {path}", path);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            set.Add(Path.GetFullPath(line));
        }
        return new ExclusionList(path, set);
    }

    /// <summary>True when <paramref name="file"/> is listed.</summary>
    public bool Contains(string file) => files.Contains(Path.GetFullPath(file));

    /// <summary>
    /// <paramref name="dataset"/> without the listed images, and how many were removed. Listed files that are not in
    /// <paramref name="dataset"/> (validation images, other folders) are left alone: only this subset shrinks.
    /// </summary>
    public (ImageDataset Kept, int Removed) Apply(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var keep = new List<int>(dataset.Count);
        for (var i = 0; i < dataset.Count; i++)
        {
            if (!Contains(dataset.Name(i))) keep.Add(i);
        }
        var removed = dataset.Count - keep.Count;
        return removed == 0 ? (dataset, 0) : (new SubsetDataset(dataset, keep), removed);
    }
}
