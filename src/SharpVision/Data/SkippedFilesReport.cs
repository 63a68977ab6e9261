using System.Text;
using SharpVision.Engine.IO;

namespace SharpVision.Data;

/// <summary>
/// The files a dataset or loader left out, each with its reason, in the order found (one entry per path).
/// Thread-safe: loaders add to it from their decode workers.
/// </summary>
public sealed class SkippedFilesReport
{
    private readonly object gate = new();
    private readonly List<SkippedFile> files = new();
    private readonly HashSet<string> paths = new(StringComparer.Ordinal);

    /// <summary>Number of skipped files.</summary>
    public int Count
    {
        get { lock (gate) return files.Count; }
    }

    /// <summary>A snapshot of the skipped files.</summary>
    public IReadOnlyList<SkippedFile> Files
    {
        get { lock (gate) return files.ToArray(); }
    }

    /// <summary>Records a skipped file; a path already recorded is ignored. Returns true when it was new.</summary>
    public bool Add(string path, string reason, SkipStage stage)
    {
        lock (gate)
        {
            if (!paths.Add(path)) return false;
            files.Add(new SkippedFile(path, reason, stage));
            return true;
        }
    }

    /// <summary>Whether <paramref name="path"/> was skipped.</summary>
    public bool Contains(string path)
    {
        lock (gate) return paths.Contains(path);
    }

    /// <summary>
    /// A human-readable summary: "N files skipped" then one line per file ("path: reason"), or "no files skipped".
    /// </summary>
    public string Format()
    {
        var snapshot = Files;
        if (snapshot.Count == 0) return "no files skipped";
        var sb = new StringBuilder();
        sb.Append(snapshot.Count).Append(snapshot.Count == 1 ? " file skipped" : " files skipped").Append('\n');
        foreach (var f in snapshot)
            sb.Append("  ").Append(f.Path).Append(": ").Append(f.Reason).Append(f.Stage == SkipStage.Load ? " (found while loading)" : "").Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <see cref="Format"/> to a text file (atomically).</summary>
    public void WriteTo(string path) => AtomicFile.WriteAllText(path, Format());
}
