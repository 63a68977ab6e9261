using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using SharpVision.Engine.IO.Pickle;

namespace SharpVision.Engine.IO;

/// <summary>
/// Reads PyTorch checkpoints (<c>torch.save</c> of a state dict: the zip container of PyTorch ≥ 1.6 and the older
/// "legacy" stream) without Python. The pickle inside is read by a restricted unpickler that understands tensors,
/// storages and (ordered) dicts only and refuses anything else with <see cref="UnsafePickleException"/>: no code from the
/// file is ever executed. torchvision and timm weight files, and training checkpoints that keep the weights under
/// "state_dict", "model" or "model_state_dict", are accepted; a "module." prefix (DistributedDataParallel) is removed.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>The largest pickle (the part that describes the tensors, not their data) that is read: 64 MiB.</summary>
    public const int MaxPickleBytes = 64 << 20;

    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string[] NestedStateKeys = { "state_dict", "model_state_dict", "model", "state_dict_ema", "model_ema" };

    /// <summary>True when the file starts like a PyTorch checkpoint (a zip archive or a protocol-2+ pickle).</summary>
    public static bool LooksLikePyTorch(string path)
    {
        var head = Head(path);
        return IsZip(head) || (head.Length >= 2 && head[0] == 0x80);
    }

    /// <summary>True for the file extensions PyTorch checkpoints use (.pth, .pt, .bin, .ckpt).</summary>
    public static bool HasPyTorchExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt" or ".bin" or ".ckpt";

    /// <summary>
    /// Loads the state dict of <paramref name="path"/> as CPU tensors (the caller disposes them), keeping each
    /// tensor's dtype and shape; strided views are made contiguous.
    /// </summary>
    /// <exception cref="UnsafePickleException">The file asks for a Python object other than tensors and dicts.</exception>
    /// <exception cref="InvalidDataException">Not a PyTorch file, truncated, or no tensors in it; the message names the file.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no such file: {path}", path);
        var (root, readStorage) = IsZip(Head(path)) ? ReadZip(path) : ReadLegacy(path);
        var entries = StateDict(root, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, t) in entries) result[name] = Materialise(t, readStorage(t.Storage), path, name);
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Converts a PyTorch checkpoint into a safetensors file (written atomically); returns the number of tensors.</summary>
    public static int ConvertToSafeTensors(string pthPath, string safetensorsPath, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = Load(pthPath);
        try
        {
            SafeTensors.Save(safetensorsPath, tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal), metadata);
            return tensors.Count;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    // The first four bytes (fewer for a shorter file): a zip archive starts "PK\x03\x04", a pickle 0x80.
    private static byte[] Head(string path)
    {
        var head = new byte[4];
        using var f = File.OpenRead(path);
        return head[..f.ReadAtLeast(head, 4, throwOnEndOfStream: false)];
    }

    private static bool IsZip(byte[] head) => head is [(byte)'P', (byte)'K', 3, 4];

    private static (object? Root, Func<PickleStorage, byte[]> ReadStorage) ReadZip(string path)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch zip checkpoint ({e.Message})", e);
        }
        using (zip)
        {
            var pkl = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') <= 1)
                ?? throw new InvalidDataException($"{path}: a zip file without data.pkl, so not a PyTorch checkpoint");
            if (pkl.Length > MaxPickleBytes) throw new InvalidDataException($"{path}: data.pkl is {pkl.Length} bytes, over the {MaxPickleBytes}-byte limit");
            var prefix = pkl.FullName[..^"data.pkl".Length];
            var bytes = ReadEntry(pkl, path);
            var (root, _) = RestrictedUnpickler.Load(bytes, 0, path, id => Storage(id, path));
            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
                if (entry.FullName.StartsWith(prefix + "data/", StringComparison.Ordinal))
                    storages[entry.FullName[(prefix.Length + 5)..]] = ReadEntry(entry, path);
            return (root, s => storages.TryGetValue(s.Key, out var b) ? b : throw new InvalidDataException($"{path}: storage '{s.Key}' is missing from the archive (truncated file?)"));
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string path)
    {
        try
        {
            using var s = entry.Open();
            var bytes = new byte[entry.Length];
            s.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{path}: archive entry {entry.FullName} cannot be read (truncated or corrupt file?)", e);
        }
    }

    private static (object? Root, Func<PickleStorage, byte[]> ReadStorage) ReadLegacy(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > int.MaxValue) throw new InvalidDataException($"{path}: legacy (non-zip) checkpoints over 2 GB are not supported; re-save it with PyTorch >= 1.6");
        var data = File.ReadAllBytes(path);
        if (data.Length < 2 || data[0] != 0x80) throw new InvalidDataException($"{path}: not a PyTorch checkpoint (neither a zip archive nor a pickle)");
        PickleStorage NoStorage(object? _) => throw new InvalidDataException($"{path}: a storage where the checkpoint header belongs");
        var (magic, at) = RestrictedUnpickler.Load(data, 0, path, NoStorage);
        if (magic is not BigInteger m || m != LegacyMagic) throw new InvalidDataException($"{path}: a pickle, but not a PyTorch checkpoint (wrong magic number)");
        (_, at) = RestrictedUnpickler.Load(data, at, path, NoStorage);
        (var sysInfo, at) = RestrictedUnpickler.Load(data, at, path, NoStorage);
        if (sysInfo is PickleDict info && info.Items.Any(kv => kv.Key is "little_endian" && kv.Value is false))
            throw new InvalidDataException($"{path}: written on a big-endian machine, which is not supported");
        var named = new Dictionary<string, PickleStorage>(StringComparer.Ordinal);
        (var root, at) = RestrictedUnpickler.Load(data, at, path, id =>
        {
            var s = Storage(id, path);
            named[s.Key] = s;
            return s;
        });
        (var keys, at) = RestrictedUnpickler.Load(data, at, path, NoStorage);
        // The storages follow the key list in its order, each as [int64 element count][count x element size bytes].
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in keys as List<object?> ?? throw new InvalidDataException($"{path}: the storage key list is missing"))
        {
            if (key is not string k || !named.TryGetValue(k, out var storage)) throw new InvalidDataException($"{path}: the storage key list names a storage no tensor uses");
            if (data.Length - at < 8) throw new InvalidDataException($"{path}: the data of storage '{k}' is missing (truncated file?)");
            var count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at, 8));
            var bytes = count * storage.DType.ElementSize();
            at += 8;
            if (count < 0 || bytes > data.Length - at) throw new InvalidDataException($"{path}: the data of storage '{k}' is cut short (truncated file?)");
            storages[k] = data.AsSpan(at, (int)bytes).ToArray();
            at += (int)bytes;
        }
        return (root, s => storages.TryGetValue(s.Key, out var b) ? b : throw new InvalidDataException($"{path}: the data of storage '{s.Key}' is missing (truncated file?)"));
    }

    // ('storage', torch.FloatStorage, key, location, numel[, view_metadata]) — the persistent id of both formats.
    private static PickleStorage Storage(object? id, string path)
    {
        if (id is not object?[] t || t.Length < 5 || t[0] is not "storage")
            throw new InvalidDataException($"{path}: a persistent id that is not a tensor storage");
        var dtype = RestrictedUnpickler.StorageType(t[1]) ?? throw new InvalidDataException($"{path}: an unknown storage type");
        if (t[2] is not string key) throw new InvalidDataException($"{path}: a storage key that is not a string");
        if (t[4] is not long count || count < 0) throw new InvalidDataException($"{path}: storage '{key}' has no valid element count");
        return new PickleStorage(dtype, key, count);
    }

    private static List<(string Name, PickleTensor Tensor)> StateDict(object? root, string path)
    {
        if (root is not PickleDict dict) throw new InvalidDataException($"{path}: holds no dictionary of tensors (not a state dict)");
        var tensors = Tensors(dict);
        if (tensors.Count == 0)
        {
            foreach (var key in NestedStateKeys)
                if (dict.Items.FirstOrDefault(kv => key.Equals(kv.Key)).Value is PickleDict nested && Tensors(nested) is { Count: > 0 } found)
                {
                    tensors = found;
                    break;
                }
        }
        if (tensors.Count == 0)
            throw new InvalidDataException($"{path}: holds no tensors at the top level nor under {string.Join(", ", NestedStateKeys.Select(k => "'" + k + "'"))}");
        if (tensors.All(t => t.Name.StartsWith("module.", StringComparison.Ordinal)))
            tensors = tensors.Select(t => (t.Name["module.".Length..], t.Tensor)).ToList();
        return tensors;
    }

    private static List<(string Name, PickleTensor Tensor)> Tensors(PickleDict dict) =>
        dict.Items.Where(kv => kv.Key is string && kv.Value is PickleTensor).Select(kv => ((string)kv.Key!, (PickleTensor)kv.Value!)).ToList();

    private static Tensor Materialise(PickleTensor t, byte[] storage, string path, string name)
    {
        var size = t.Storage.DType.ElementSize();
        if (t.Shape.Length != t.Stride.Length || t.Shape.Any(d => d < 0) || t.Stride.Any(s => s < 0) || t.Offset < 0)
            throw new InvalidDataException($"{path}: tensor '{name}' has an invalid shape or stride");
        var count = 1L;
        var last = t.Offset;
        foreach (var (d, s) in t.Shape.Zip(t.Stride))
        {
            count = checked(count * d);
            if (d > 0) last = checked(last + (d - 1) * s);
        }
        if (count > 0 && (last >= t.Storage.ElementCount || (last + 1) * size > storage.Length))
            throw new InvalidDataException($"{path}: tensor '{name}' reaches past the end of its storage (truncated file?)");
        var bytes = new byte[count * size];
        if (count > 0) Gather(storage, t, size, bytes);
        return Tensor.FromBytes(bytes, t.Storage.DType, t.Shape);
    }

    // Copies a strided view into row-major order; a contiguous view is one block copy.
    private static void Gather(byte[] storage, PickleTensor t, int size, byte[] target)
    {
        var contiguous = true;
        long expected = 1;
        for (var i = t.Shape.Length - 1; i >= 0; i--)
        {
            if (t.Shape[i] != 1 && t.Stride[i] != expected) contiguous = false;
            expected *= t.Shape[i];
        }
        if (contiguous)
        {
            Buffer.BlockCopy(storage, (int)(t.Offset * size), target, 0, target.Length);
            return;
        }
        var index = new long[t.Shape.Length];
        for (long n = 0, total = target.Length / size; n < total; n++)
        {
            var src = t.Offset;
            for (var i = 0; i < index.Length; i++) src += index[i] * t.Stride[i];
            Buffer.BlockCopy(storage, (int)(src * size), target, (int)(n * size), size);
            for (var i = index.Length - 1; i >= 0; i--)
            {
                if (++index[i] < t.Shape[i]) break;
                index[i] = 0;
            }
        }
    }
}
