using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Transfer.Pretrained;

/// <summary>
/// Loads pretrained weights (torchvision names, safetensors) into a zoo model whose head may already have a
/// different class count: everything that fits is copied, the old head's tensors are skipped and the new head keeps
/// its fresh initialisation; the <see cref="PretrainedLoadReport"/> says which is which.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// Loads <paramref name="fileOrName"/> into <paramref name="model"/>. <paramref name="fileOrName"/> is a
    /// .safetensors path or a known name ("mobilenet_v2") resolved by <see cref="Resolve"/>.
    /// </summary>
    /// <param name="model">The model; if it implements <see cref="IClassifierModel"/>, its head paths decide what counts as "head".</param>
    /// <param name="fileOrName">A weights file or a known name.</param>
    /// <param name="strictBackbone">Throw (before copying anything) when a backbone tensor is missing or has another shape: the file is for a different architecture.</param>
    /// <param name="searchFolders">Folders for names (default: <see cref="PretrainedCatalog.SearchFolders"/>).</param>
    /// <exception cref="FileNotFoundException">The name resolves to no file; the message lists the folders searched and how to get the weights.</exception>
    /// <exception cref="InvalidDataException">Not a safetensors file, or (strict) the backbone does not match; names the file and the tensors.</exception>
    public static PretrainedLoadReport Load(Module model, string fileOrName, bool strictBackbone = true, IReadOnlyList<string>? searchFolders = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = Resolve(fileOrName, searchFolders);
        using var file = OpenWeights(path);
        var heads = (model as IClassifierModel)?.HeadPaths ?? Array.Empty<string>();
        bool IsHead(string name) => heads.Any(h => name.StartsWith(h + ".", StringComparison.Ordinal));

        var own = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (n, p) in model.NamedParameters()) own[n] = p.Shape;
        foreach (var (n, b) in model.NamedBuffers()) own[n] = b.Shape;

        var loadNames = new List<string>();
        var skippedHead = new List<string>();
        var mismatched = new List<string>();
        var unexpected = new List<string>();
        foreach (var info in file.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!own.TryGetValue(info.Name, out var shape))
            {
                unexpected.Add(info.Name);
                continue;
            }
            var fits = shape.SequenceEqual(info.Shape) || (shape.Length == 0 && info.NumberOfElements == 1);
            if (fits) loadNames.Add(info.Name);
            else if (IsHead(info.Name)) skippedHead.Add(info.Name);
            else mismatched.Add($"{info.Name}: model [{string.Join(", ", shape)}], file [{string.Join(", ", info.Shape)}]");
        }
        var loadedSet = new HashSet<string>(loadNames, StringComparer.Ordinal);
        var newlyInitialised = new List<string>();
        var missing = new List<string>();
        foreach (var name in own.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (loadedSet.Contains(name)) continue;
            if (IsHead(name)) newlyInitialised.Add(name);
            else if (!name.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !mismatched.Any(m => m.StartsWith(name + ":", StringComparison.Ordinal))) missing.Add(name);
        }
        var report = new PretrainedLoadReport(path, loadNames, skippedHead, newlyInitialised, mismatched, missing, unexpected);
        if (strictBackbone && !report.BackboneComplete)
            throw new InvalidDataException($"{path} does not fit {model.GetType().Name}'s backbone (wrong architecture?):{Environment.NewLine}{report.Describe()}");

        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in loadNames) values[name] = file.Load(name);
            model.LoadStateDict(values, strict: false);
        }
        finally
        {
            foreach (var t in values.Values) t.Dispose();
        }
        return report;
    }

    /// <summary>
    /// Opens a weights file: safetensors as is, a PyTorch checkpoint (.pth/.pt, zip or legacy) through the restricted
    /// unpickler of <see cref="PyTorchCheckpoint"/> (tensors and dicts only, no code run), held in memory as safetensors.
    /// </summary>
    public static SafeTensorsFile OpenWeights(string path)
    {
        if (!PyTorchCheckpoint.HasPyTorchExtension(path) && !PyTorchCheckpoint.LooksLikePyTorch(path)) return SafeTensorsFile.Open(path);
        var tensors = PyTorchCheckpoint.Load(path);
        try
        {
            return SafeTensorsFile.Open(new MemoryStream(SafeTensors.Serialize(tensors), writable: false), path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The file for <paramref name="fileOrName"/>: an existing path as is; otherwise a name looked up in each search
    /// folder as the catalog's file name ("mobilenet_v2_imagenet.safetensors"), NAME_imagenet.safetensors or NAME.safetensors.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing found; the message lists the folders and says how to fetch or convert the weights.</exception>
    public static string Resolve(string fileOrName, IReadOnlyList<string>? searchFolders = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileOrName);
        if (File.Exists(fileOrName))
        {
            return fileOrName;
        }
        var looksLikePath = fileOrName.Contains('/') || fileOrName.Contains('\\') || fileOrName.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        if (looksLikePath) throw new FileNotFoundException($"weights file not found: {fileOrName}", fileOrName);

        var name = fileOrName.Trim();
        var entry = PretrainedCatalog.Find(name);
        var folders = searchFolders ?? PretrainedCatalog.SearchFolders();
        var candidates = new List<string>();
        if (entry is not null) candidates.Add(entry.LocalFileName);
        candidates.Add(name + "_imagenet.safetensors");
        candidates.Add(name + ".safetensors");
        foreach (var folder in folders)
            foreach (var c in candidates.Distinct(StringComparer.Ordinal))
            {
                var p = Path.Combine(folder, c);
                if (File.Exists(p)) return p;
            }
        if (entry is not null)
        {
            foreach (var folder in folders)
            {
                var pth = Path.Combine(folder, entry.DownloadFileName);
                if (File.Exists(pth)) return pth;
            }
        }
        var searched = folders.Count == 0 ? "(no weights folder exists yet)" : string.Join(", ", folders);
        var hint = entry is not null
            ? $"run 'sharpvision weights fetch {entry.Name}' (downloads {entry.Url}) or 'sharpvision weights import {entry.Name}'"
            : $"known names: {string.Join(", ", PretrainedCatalog.Entries.Select(e => e.Name))}";
        throw new FileNotFoundException($"no pretrained weights '{name}' in {searched} (default folder: {PretrainedCatalog.DefaultFolder}); {hint}", name);
    }
}
