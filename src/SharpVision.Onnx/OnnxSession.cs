using Microsoft.ML.OnnxRuntime;

namespace SharpVision.Onnx;

/// <summary>
/// An ONNX Runtime session over a one-input, one-output image model: float32 NCHW in, [N, K] scores out. Opening
/// turns ONNX Runtime's errors into one-line <see cref="InvalidDataException"/>s naming the file.
/// </summary>
internal sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    private OnnxSession(InferenceSession session, string path)
    {
        this.session = session;
        Path = path;
        if (session.InputMetadata.Count != 1)
            throw new InvalidDataException($"{path}: the graph has {session.InputMetadata.Count} inputs; an image classifier has one");
        var (name, input) = session.InputMetadata.First();
        if (input.ElementType != typeof(float) || input.Dimensions.Length != 4)
            throw new InvalidDataException($"{path}: the graph's input '{name}' is not a float32 NCHW image batch (rank {input.Dimensions.Length}, {input.ElementType.Name})");
        inputName = name;
        InputDimensions = input.Dimensions;
        outputName = session.OutputMetadata.Keys.FirstOrDefault(k => k != OnnxExporter.FeaturesName) ?? session.OutputMetadata.Keys.First();
        if (outputName != OnnxExporter.FeaturesName && session.OutputMetadata.ContainsKey(OnnxExporter.FeaturesName)) featuresName = OnnxExporter.FeaturesName;
    }

    private readonly string? featuresName;

    /// <summary>Whether the graph also outputs the penultimate features (<see cref="OnnxExporter.FeaturesName"/>).</summary>
    public bool HasFeatures => featuresName is not null;

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The graph's input dimensions (−1 where symbolic, e.g. the batch).</summary>
    public int[] InputDimensions { get; }

    /// <summary>The model's custom metadata (metadata_props).</summary>
    public IReadOnlyDictionary<string, string> Metadata => session.ModelMetadata.CustomMetadataMap;

    /// <summary>Opens <paramref name="path"/> with <paramref name="threads"/> intra-op threads (null: $SHARPVISION_THREADS or all cores).</summary>
    /// <exception cref="InvalidDataException">Missing, not ONNX, corrupt or truncated, or not an image classifier.</exception>
    public static OnnxSession Open(string path, int? threads = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file", path);
        if (LooksLikeSafeTensors(path))
            throw new InvalidDataException($"{path}: is a safetensors file (a SharpVision model or weights), not an ONNX model; use it under a .safetensors name");
        using var options = CreateOptions(threads);
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            var first = e.Message.Split('\n')[0].Trim();
            throw new InvalidDataException($"{path}: not a valid ONNX model (corrupt, truncated or of another kind): {first}", e);
        }
        try
        {
            return new OnnxSession(session, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The session settings SharpVision runs every model with: all graph optimisations (NCHWc layouts, fused
    /// Conv+BatchNorm+ReLU), sequential execution, <see cref="ResolveThreads"/> intra-op threads. The caller disposes.
    /// </summary>
    internal static SessionOptions CreateOptions(int? threads) => new()
    {
        IntraOpNumThreads = ResolveThreads(threads),
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>Intra-op threads: the argument, else $SHARPVISION_THREADS, else every core.</summary>
    internal static int ResolveThreads(int? threads)
    {
        if (threads is { } t)
        {
            if (t < 1) throw new ArgumentException($"--threads must be at least 1, got {t}", nameof(threads));
            return t;
        }
        return int.TryParse(Environment.GetEnvironmentVariable("SHARPVISION_THREADS"), out var env) && env > 0 ? env : Environment.ProcessorCount;
    }

    /// <summary>A safetensors file starts with an 8-byte header length and then the JSON header's '{'.</summary>
    internal static bool LooksLikeSafeTensors(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[9];
        return f.Read(head) == 9 && head[8] == (byte)'{' && BitConverter.ToUInt64(head[..8]) < (ulong)f.Length;
    }

    /// <summary>Runs <paramref name="count"/> normalised CHW images; returns the flat [count, K] scores and K.</summary>
    public (float[] Scores, int Columns) Run(float[] data, int count, int channels, int height, int width) =>
        RunOutputs(data, count, channels, height, width, outputName)[0];

    /// <summary>
    /// As <see cref="Run"/>, and the flat [count, D] penultimate features with D.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph has no features output (<see cref="HasFeatures"/>).</exception>
    public ((float[] Scores, int Columns) Outputs, (float[] Values, int Columns) Features) RunWithFeatures(float[] data, int count, int channels, int height, int width)
    {
        if (featuresName is null) throw new InvalidOperationException($"{Path}: the graph has no '{OnnxExporter.FeaturesName}' output");
        var results = RunOutputs(data, count, channels, height, width, outputName, featuresName);
        return (results[0], results[1]);
    }

    private (float[] Values, int Columns)[] RunOutputs(float[] data, int count, int channels, int height, int width, params string[] names)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(data, new long[] { count, channels, height, width });
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new[] { inputName }, new[] { input }, names);
        var rows = new (float[], int)[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var shape = results[i].GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != count)
                throw new InvalidDataException($"{Path}: the graph's output '{names[i]}' has shape [{string.Join(", ", shape)}], not [{count}, columns]");
            rows[i] = (results[i].GetTensorDataAsSpan<float>().ToArray(), (int)shape[1]);
        }
        return rows;
    }

    /// <summary>Frees the session.</summary>
    public void Dispose() => session.Dispose();
}
