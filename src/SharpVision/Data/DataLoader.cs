using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Threading.Channels;
using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>
/// Turns an <see cref="ImageDataset"/> into batches: seeded per-epoch order (<see cref="SetEpoch"/>), optional
/// class-balanced sampling, parallel decode and resize on all cores, batches prepared ahead on a bounded queue while
/// the consumer trains, an optional cache of resized images, distributed shards (<see cref="Shard"/>) and resuming
/// mid-epoch (<see cref="StartBatch"/>). Files that fail to decode are left out of their batch and added to
/// <see cref="Skipped"/>; they never stop training. The batches are identical for a given seed and epoch however
/// threads are scheduled.
/// </summary>
public sealed class DataLoader : IEnumerable<LabeledBatch>, IBatchSource
{
    private readonly State state;

    /// <summary>Creates a loader producing images shaped by <paramref name="preprocessor"/>.</summary>
    public DataLoader(ImageDataset dataset, ImagePreprocessor preprocessor, DataLoaderOptions? options = null)
        : this(new State(dataset, preprocessor, options ?? new DataLoaderOptions()), rank: 0, worldSize: 1, evenShards: false)
    {
    }

    private DataLoader(State state, int rank, int worldSize, bool evenShards)
    {
        this.state = state;
        Rank = rank;
        WorldSize = worldSize;
        EvenShards = evenShards;
    }

    /// <summary>The dataset.</summary>
    public ImageDataset Dataset => state.Dataset;

    /// <summary>The preprocessing applied to each image.</summary>
    public ImagePreprocessor Preprocessor => state.Preprocessor;

    /// <summary>The settings.</summary>
    public DataLoaderOptions Options => state.Options;

    /// <summary>The dataset's skipped-files report, to which this loader adds the files that fail to decode.</summary>
    public SkippedFilesReport Skipped => state.Dataset.Skipped;

    /// <summary>The epoch whose order the next enumeration uses.</summary>
    public int Epoch { get; private set; }

    /// <summary>
    /// The planned batch index the next enumeration starts at (to resume an interrupted epoch with exactly the same
    /// data order). Reset to 0 when an enumeration starts.
    /// </summary>
    public int StartBatch { get; set; }

    /// <summary>This shard's rank (0 when not sharded).</summary>
    public int Rank { get; }

    /// <summary>Number of shards (1 when not sharded).</summary>
    public int WorldSize { get; }

    /// <summary>Whether shards are cut to equal sizes (see <see cref="Shard"/>).</summary>
    public bool EvenShards { get; }

    /// <summary>Samples this loader yields per epoch (before any decode failure).</summary>
    public int SamplesPerEpoch => EpochIndices().Length;

    /// <inheritdoc />
    int IBatchSource.Count => SamplesPerEpoch;

    /// <inheritdoc />
    IReadOnlyList<string> IBatchSource.ClassNames => Dataset.ClassNames;

    /// <summary>Planned batches per epoch.</summary>
    public int BatchesPerEpoch
    {
        get
        {
            var n = SamplesPerEpoch;
            var b = Options.BatchSize;
            return Options.DropLast ? n / b : (n + b - 1) / b;
        }
    }

    /// <summary>Selects the epoch; its order is a pure function of (seed, epoch, rank, world size).</summary>
    public void SetEpoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "must be non-negative");
        Epoch = epoch;
    }

    /// <summary>
    /// A loader over shard <paramref name="rank"/> of <paramref name="worldSize"/>: every rank computes the same
    /// epoch order and takes positions rank, rank + worldSize, …, so shards are disjoint and together cover the
    /// epoch. With <paramref name="evenShards"/> the order is first cut to a multiple of the world size (the cut
    /// samples differ every epoch) so that all ranks run the same number of steps. Shards share the image cache.
    /// </summary>
    public DataLoader Shard(int rank, int worldSize, bool evenShards = false)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "must be at least 1");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"must be in [0, {worldSize})");
        if (WorldSize != 1) throw new InvalidOperationException("this loader is already a shard");
        return new DataLoader(state, rank, worldSize, evenShards) { Epoch = Epoch };
    }

    /// <summary>The dataset indices of this epoch (and shard), in the order they will be batched.</summary>
    public int[] EpochIndices()
    {
        var order = state.GlobalOrder(Epoch);
        return WorldSize == 1 ? order : Sharding.Shard(order, Rank, WorldSize, EvenShards ? ShardSize.Even : ShardSize.Uneven);
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> from planned batch <paramref name="startBatch"/> on (what a trainer's
    /// batch source needs: the order depends only on seed, epoch and shard). The caller disposes each batch.
    /// </summary>
    public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
    {
        SetEpoch(epoch);
        StartBatch = startBatch;
        using var enumerator = GetEnumerator();
        while (enumerator.MoveNext()) yield return enumerator.Current;
    }

    /// <summary>Enumerates this epoch's batches from <see cref="StartBatch"/>.</summary>
    public IEnumerator<LabeledBatch> GetEnumerator()
    {
        var order = EpochIndices();
        var size = Options.BatchSize;
        var batches = new List<int[]>();
        for (var start = 0; start < order.Length; start += size)
        {
            var len = Math.Min(size, order.Length - start);
            if (len < size && Options.DropLast) break;
            batches.Add(order.AsSpan(start, len).ToArray());
        }
        var first = StartBatch;
        StartBatch = 0;
        if (first < 0 || first > batches.Count)
            throw new ArgumentOutOfRangeException(nameof(StartBatch), first, $"epoch {Epoch} has {batches.Count} batches");
        return new Enumerator(state, batches, first);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Shared by a loader and its shards: dataset, settings, cache and the set of files known to be bad.</summary>
    private sealed class State
    {
        private readonly byte[]?[]? cache;
        private readonly ConcurrentDictionary<int, bool> failed = new();
        private readonly int[][] classMembers;

        internal State(ImageDataset dataset, ImagePreprocessor preprocessor, DataLoaderOptions options)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(preprocessor);
            if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
            if (options.Workers < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "Workers must be at least 1");
            if (options.Prefetch < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Prefetch, "Prefetch must be non-negative");
            Dataset = dataset;
            Preprocessor = preprocessor;
            Options = options;
            cache = options.CacheImages ? new byte[dataset.Count][] : null;
            var members = Enumerable.Range(0, dataset.ClassNames.Count).Select(_ => new List<int>()).ToArray();
            for (var i = 0; i < dataset.Count; i++) members[dataset.Label(i)].Add(i);
            classMembers = members.Where(m => m.Count > 0).Select(m => m.ToArray()).ToArray();
        }

        internal ImageDataset Dataset { get; }
        internal ImagePreprocessor Preprocessor { get; }
        internal DataLoaderOptions Options { get; }
        internal int ImageBytes => Dataset.Channels * Preprocessor.Height * Preprocessor.Width;

        internal int[] GlobalOrder(int epoch)
        {
            var n = Dataset.Count;
            if (Options.BalancedSampling)
            {
                var rng = new SeededRandom(Options.Seed, stream: 0xBA1, substream: epoch);
                var order = new int[n];
                for (var i = 0; i < n; i++)
                {
                    var members = classMembers[rng.NextInt(classMembers.Length)];
                    order[i] = members[rng.NextInt(members.Length)];
                }
                return order;
            }
            var identity = Enumerable.Range(0, n).ToArray();
            if (Options.Shuffle) new SeededRandom(Options.Seed, stream: 0x5F1, substream: epoch).Shuffle(identity.AsSpan());
            return identity;
        }

        /// <summary>Writes image <paramref name="index"/> as C×H×W into <paramref name="destination"/>; false (and reported) when it cannot be decoded.</summary>
        internal bool TryLoad(int index, Span<byte> destination)
        {
            if (failed.ContainsKey(index)) return false;
            if (cache?[index] is { } cached)
            {
                cached.CopyTo(destination);
                return true;
            }
            try
            {
                var image = Dataset.Load(index);
                if (image.Channels != Dataset.Channels)
                    throw new InvalidImageException(Dataset.Name(index), $"decoded to {image.Channels} channels, the dataset has {Dataset.Channels}");
                Preprocessor.ProcessToChw(image, destination);
            }
            catch (InvalidImageException e)
            {
                failed[index] = true;
                Dataset.Skipped.Add(Dataset.Name(index), e.Reason, SkipStage.Load);
                return false;
            }
            if (cache is not null) Volatile.Write(ref cache[index], destination.ToArray());
            return true;
        }

        /// <summary>Decodes one batch in parallel and compacts out the failures (keeping the planned order).</summary>
        internal PreparedBatch Prepare(int[] indices, int batchIndex, CancellationToken token)
        {
            var bytes = ImageBytes;
            // Pooled: a batch is megabytes, and a fresh large-object-heap array per batch costs full GCs.
            var buffer = ArrayPool<byte>.Shared.Rent(indices.Length * bytes);
            var ok = new bool[indices.Length];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Workers, CancellationToken = token };
            // Cached images are only copied: memory-bound work that threads would just contend for.
            var allCached = cache is not null && indices.All(i => Volatile.Read(ref cache[i]) is not null);
            if (Options.Workers == 1 || indices.Length == 1 || allCached)
            {
                for (var i = 0; i < indices.Length; i++) ok[i] = TryLoad(indices[i], buffer.AsSpan(i * bytes, bytes));
            }
            else
            {
                Parallel.For(0, indices.Length, parallel, i => ok[i] = TryLoad(indices[i], buffer.AsSpan(i * bytes, bytes)));
            }
            var kept = new List<int>(indices.Length);
            var write = 0;
            for (var i = 0; i < indices.Length; i++)
            {
                if (!ok[i]) continue;
                if (write != i) Buffer.BlockCopy(buffer, i * bytes, buffer, write * bytes, bytes);
                kept.Add(indices[i]);
                write++;
            }
            var labels = kept.Select(i => (long)Dataset.Label(i)).ToArray();
            return new PreparedBatch(buffer, kept.ToArray(), labels, batchIndex);
        }

        /// <summary>Gives a batch's pixel buffer back to the pool once its tensor holds a copy.</summary>
        internal static void Release(PreparedBatch batch) => ArrayPool<byte>.Shared.Return(batch.Pixels);
    }

    private sealed record PreparedBatch(byte[] Pixels, int[] Indices, long[] Labels, int Index);

    /// <summary>Consumes prepared batches (from a producer task, or prepared inline when prefetch is 0) and wraps them in tensors on the caller's thread.</summary>
    private sealed class Enumerator : IEnumerator<LabeledBatch>
    {
        private readonly State state;
        private readonly List<int[]> batches;
        private readonly CancellationTokenSource cancel = new();
        private readonly Channel<PreparedBatch>? channel;
        private readonly Task? producer;
        private int next;
        private LabeledBatch? current;

        internal Enumerator(State state, List<int[]> batches, int first)
        {
            this.state = state;
            this.batches = batches;
            next = first;
            if (state.Options.Prefetch > 0 && first < batches.Count)
            {
                channel = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(state.Options.Prefetch)
                {
                    SingleReader = true,
                    SingleWriter = true,
                    FullMode = BoundedChannelFullMode.Wait,
                });
                producer = Task.Run(() => Produce(first, cancel.Token));
            }
        }

        public LabeledBatch Current => current ?? throw new InvalidOperationException("MoveNext has not been called");

        object IEnumerator.Current => Current;

        private async Task Produce(int first, CancellationToken token)
        {
            Exception? error = null;
            try
            {
                for (var b = first; b < batches.Count; b++)
                {
                    token.ThrowIfCancellationRequested();
                    await channel!.Writer.WriteAsync(state.Prepare(batches[b], b, token), token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                error = e;
            }
            channel!.Writer.TryComplete(error);
        }

        public bool MoveNext()
        {
            current = null; // the caller owns (and disposes) the previous batch
            while (true)
            {
                PreparedBatch? prepared;
                if (channel is null)
                {
                    if (next >= batches.Count) return false;
                    prepared = state.Prepare(batches[next], next, CancellationToken.None);
                    next++;
                }
                else
                {
                    try
                    {
                        if (!channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return false;
                    }
                    catch (ChannelClosedException e) when (e.InnerException is not null)
                    {
                        throw new InvalidOperationException("the data loader's producer failed: " + e.InnerException.Message, e.InnerException);
                    }
                    if (!channel.Reader.TryRead(out prepared)) continue;
                }
                if (prepared.Indices.Length == 0) // every file of this batch failed; it is reported, not yielded
                {
                    State.Release(prepared);
                    continue;
                }
                try
                {
                    current = Wrap(prepared);
                }
                finally
                {
                    State.Release(prepared);
                }
                return true;
            }
        }

        private LabeledBatch Wrap(PreparedBatch p)
        {
            var n = p.Indices.Length;
            var images = Tensor.FromBytes(p.Pixels.AsSpan(0, n * state.ImageBytes), DType.UInt8,
                new long[] { n, state.Dataset.Channels, state.Preprocessor.Height, state.Preprocessor.Width }).DetachFromDisposeScope();
            var labels = Tensor.FromArray(p.Labels).DetachFromDisposeScope();
            return new LabeledBatch(images, labels, p.Indices, p.Index);
        }

        public void Reset() => throw new NotSupportedException("enumerate the loader again instead");

        public void Dispose()
        {
            cancel.Cancel();
            if (producer is not null)
            {
                // Unblock a producer waiting on a full queue, then wait for it so no decode outlives the enumeration.
                while (channel!.Reader.TryRead(out var pending)) State.Release(pending);
                try { producer.Wait(); } catch (AggregateException) { }
                while (channel.Reader.TryRead(out var late)) State.Release(late);
            }
            cancel.Dispose();
        }
    }
}
