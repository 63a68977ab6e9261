using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SharpVision.Checkout;

/// <summary>
/// Collects classification requests from concurrent HTTP requests and runs them through the classifier in batches: a
/// batch closes when the window since its first request has passed or it reaches the maximum size. One batch runs at
/// a time, on this service's loop, so the classifier sees a single caller.
/// </summary>
internal sealed class InferenceBatcher : BackgroundService
{
    private readonly IImageClassifier _classifier;
    private readonly TimeSpan _window;
    private readonly int _maxBatch;
    private readonly int _topK;
    private readonly ILogger<InferenceBatcher> _log;
    private readonly Channel<Pending> _queue;
    private long _batches, _images, _failures;
    private int _largest;
    private double _warmUpMs;

    public InferenceBatcher(IImageClassifier classifier, CheckoutOptions options, ILogger<InferenceBatcher> log)
    {
        _classifier = classifier;
        _window = options.BatchWindow;
        _maxBatch = options.MaxBatch;
        _topK = Math.Min(options.TopK, classifier.Info.Classes.Count);
        _log = log;
        // Bounded so a flood of uploads queues in the HTTP layer (back-pressure) instead of growing memory here.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(64, options.MaxBatch * 8))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int TopK => _topK;

    public InferenceStatistics Statistics =>
        new(Interlocked.Read(ref _batches), Interlocked.Read(ref _images), Volatile.Read(ref _largest), Interlocked.Read(ref _failures), _warmUpMs);

    /// <summary>Queues one image and completes when its batch has run.</summary>
    public async Task<ClassificationOutcome> ClassifyAsync(EncodedImage image, CancellationToken cancellationToken)
    {
        var pending = new Pending(image, cancellationToken);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await using var reg = cancellationToken.Register(static p => ((Pending)p!).Completion.TrySetCanceled(), pending);
        return await pending.Completion.Task;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        WarmUp();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        while (_queue.Reader.TryRead(out var p)) p.Completion.TrySetCanceled();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var started = false;
                while (batch.Count < _maxBatch)
                {
                    if (reader.TryRead(out var p))
                    {
                        if (p.Cancellation.IsCancellationRequested) continue;
                        batch.Add(p);
                        // The window starts with the batch's first request, so a lone request waits at most one window.
                        if (!started) { window.CancelAfter(_window); started = true; }
                        continue;
                    }
                    if (batch.Count == 0) break;
                    try
                    {
                        if (!await reader.WaitToReadAsync(window.Token)) break;
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        break; // window closed
                    }
                }
                if (batch.Count > 0) Run(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Run(List<Pending> batch)
    {
        var images = batch.Select(p => p.Image).ToArray();
        try
        {
            var outcomes = _classifier.ClassifyBatch(images, _topK);
            if (outcomes is null || outcomes.Count != images.Length)
                throw new ClassifierFailedException($"classifier returned {outcomes?.Count ?? 0} outcomes for {images.Length} images");
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(outcomes[i]);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failures);
            _log.LogError(e, "classifier failed on a batch of {Count} images", images.Length);
            var failure = e as ClassifierFailedException ?? new ClassifierFailedException("the classifier failed", e);
            foreach (var p in batch) p.Completion.TrySetException(failure);
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, images.Length);
        if (images.Length > _largest) Volatile.Write(ref _largest, images.Length);
    }

    private void WarmUp()
    {
        // One pass at start-up so the first customer doesn't pay for lazy initialisation (allocations, kernels).
        var info = _classifier.Info;
        var png = WarmUpImage.GreyPng(info.InputWidth, info.InputHeight);
        var sw = Stopwatch.StartNew();
        var outcomes = _classifier.ClassifyBatch([new EncodedImage(png, "warm-up.png")], _topK);
        _warmUpMs = sw.Elapsed.TotalMilliseconds;
        if (outcomes.Count != 1) throw new ClassifierFailedException($"classifier returned {outcomes.Count} outcomes for the 1 warm-up image");
        if (outcomes[0].Error is { } err) _log.LogWarning("warm-up image was rejected by the classifier: {Error}", err);
        _log.LogInformation("classifier {Model} warmed up in {Ms:F1} ms", info.ModelName, _warmUpMs);
    }

    private sealed class Pending(EncodedImage image, CancellationToken cancellation)
    {
        public EncodedImage Image { get; } = image;
        public CancellationToken Cancellation { get; } = cancellation;
        public TaskCompletionSource<ClassificationOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
