using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using SharpVision.Engine;
using SharpVision.Engine.IO;

namespace SharpVision.Training;

/// <summary>
/// Resume state on disk: one safetensors file holding model weights ("model/…"), optimizer state ("optimizer/…"),
/// extra tensors ("extra/…") and the <see cref="TrainerState"/> as JSON metadata, with a SHA-256 of the data so that
/// corruption is detected. Writes are atomic and the previous checkpoint is kept as <c>.prev</c>: a kill at any
/// moment leaves at least one complete checkpoint, and a corrupt latest one falls back to the previous.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Format = "sharpvision-checkpoint-v1";

    /// <summary>The previous checkpoint's path.</summary>
    public static string PreviousPath(string path) => path + ".prev";

    /// <summary>Writes a checkpoint (tensors are copied to the CPU).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> model, IReadOnlyDictionary<string, Tensor> optimizer,
        IReadOnlyDictionary<string, Tensor> extra, TrainerState state)
    {
        using var scope = Torch.NewDisposeScope();
        var all = new List<KeyValuePair<string, Tensor>>();
        void Add(string prefix, IReadOnlyDictionary<string, Tensor> d)
        {
            foreach (var (k, t) in d)
            {
                var cpu = t.Detach().To(Device.Cpu).Contiguous();
                all.Add(new(prefix + k, cpu));
            }
        }
        Add("model/", model);
        Add("optimizer/", optimizer);
        Add("extra/", extra);
        using var sha = SHA256.Create();
        foreach (var (_, t) in all.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var bytes = t.ToBytes();
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["state"] = JsonSerializer.Serialize(state),
            ["sha256"] = Convert.ToHexString(sha.Hash!),
        };
        if (File.Exists(path)) File.Move(path, PreviousPath(path), overwrite: true);
        SafeTensors.Save(path, all, metadata);
    }

    /// <summary>A checkpoint read back; dispose to free its tensors.</summary>
    public sealed class Loaded : IDisposable
    {
        internal Loaded(string path, TrainerState state, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Dictionary<string, Tensor> extra)
        {
            Path = path;
            State = state;
            Model = model;
            Optimizer = optimizer;
            Extra = extra;
        }

        /// <summary>The file actually read (the latest, or the previous after a fallback).</summary>
        public string Path { get; }

        /// <summary>The trainer state.</summary>
        public TrainerState State { get; }

        /// <summary>Model weights by name.</summary>
        public Dictionary<string, Tensor> Model { get; }

        /// <summary>Optimizer state.</summary>
        public Dictionary<string, Tensor> Optimizer { get; }

        /// <summary>Extra tensors (e.g. early stopping's best weights).</summary>
        public Dictionary<string, Tensor> Extra { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            foreach (var t in Model.Values.Concat(Optimizer.Values).Concat(Extra.Values)) t.Dispose();
        }
    }

    /// <summary>Reads and verifies one checkpoint file.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, truncated, or the checksum does not match; names the file.</exception>
    public static Loaded Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        VerifyChecksum(path, out var metadata);
        if (!metadata.TryGetValue("format", out var f) || f != Format)
            throw new InvalidDataException($"{path}: not a SharpVision training checkpoint (format '{f ?? "missing"}')");
        TrainerState state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(metadata["state"]) ?? throw new InvalidDataException("empty state");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: the checkpoint's trainer state is unreadable ({e.Message})", e);
        }
        var (tensors, _) = SafeTensors.Load(path);
        Dictionary<string, Tensor> Part(string prefix) => tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value.DetachFromDisposeScope(), StringComparer.Ordinal);
        return new Loaded(path, state, Part("model/"), Part("optimizer/"), Part("extra/"));
    }

    /// <summary>
    /// Loads the latest checkpoint at <paramref name="path"/>, falling back to the previous one when the latest is
    /// missing or corrupt. Returns null when neither exists; <paramref name="warning"/> explains a fallback.
    /// </summary>
    public static Loaded? LoadLatest(string path, out string? warning)
    {
        warning = null;
        var prev = PreviousPath(path);
        if (File.Exists(path))
        {
            try
            {
                return Load(path);
            }
            catch (InvalidDataException e)
            {
                if (!File.Exists(prev)) throw new InvalidDataException($"{e.Message}; no previous checkpoint ({prev}) to fall back to", e);
                warning = $"the latest checkpoint is corrupt ({e.Message}); falling back to the previous one: {prev}";
                return Load(prev);
            }
        }
        if (File.Exists(prev))
        {
            warning = $"{path} is missing (interrupted while saving?); resuming from the previous checkpoint {prev}";
            return Load(prev);
        }
        return null;
    }

    private static void VerifyChecksum(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using (var file = SafeTensorsFile.Open(path)) metadata = file.Metadata;
        if (!metadata.TryGetValue("sha256", out var expected))
            throw new InvalidDataException($"{path}: checkpoint has no checksum");
        using var fs = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        fs.Position = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(len);
        var actual = Convert.ToHexString(SHA256.HashData(fs));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: checksum mismatch (file is corrupt)");
    }
}
