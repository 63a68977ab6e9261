using SharpVision.Engine;

namespace SharpVision.Bench.Engine;

/// <summary>ResNet-18 in torchvision's layout (BasicBlock ×[2, 2, 2, 2], batch norm in training mode), for 5 classes.</summary>
internal sealed class ResNet18 : IBenchNet
{
    private readonly Tensor stem;
    private readonly BatchNorm stemBn;
    private readonly List<Block> blocks = new();
    private readonly Tensor fcW, fcB;

    public ResNet18(Generator generator, int classes = 5)
    {
        Parameters = new BenchParameters(generator);
        var p = Parameters;
        stem = p.Conv(64, 3, 7);
        stemBn = new BatchNorm(p, 64);
        long inC = 64;
        foreach (var (c, stride) in new[] { (64L, 1), (128L, 2), (256L, 2), (512L, 2) })
        {
            blocks.Add(new Block(p, inC, c, stride));
            blocks.Add(new Block(p, c, c, 1));
            inC = c;
        }
        fcW = p.Uniform(new[] { (long)classes, 512 }, 512);
        fcB = p.Uniform(new[] { (long)classes }, 512);
    }

    public string Name => "resnet18-64";

    public BenchParameters Parameters { get; }

    public IReadOnlyList<Tensor> Trainable => Parameters.Trainable;

    public Tensor Forward(Tensor x)
    {
        var h = stemBn.Forward(Functional.Conv2d(x, stem, stride: (2, 2), padding: (3, 3))).Relu_();
        h = Functional.MaxPool2d(h, (3, 3), stride: (2, 2), padding: (1, 1));
        foreach (var b in blocks) h = b.Forward(h);
        h = Functional.AdaptiveAvgPool2d(h, (1, 1)).Flatten(1);
        return Functional.Linear(h, fcW, fcB);
    }

    public void Dispose() => Parameters.Dispose();

    private sealed class BatchNorm(BenchParameters p, long channels)
    {
        private readonly Tensor weight = p.Constant(channels, 1, true);
        private readonly Tensor bias = p.Constant(channels, 0, true);
        private readonly Tensor mean = p.Constant(channels, 0, false);
        private readonly Tensor variance = p.Constant(channels, 1, false);

        public Tensor Forward(Tensor x) => Functional.BatchNorm(x, mean, variance, weight, bias, training: true);
    }

    private sealed class Block
    {
        private readonly Tensor conv1, conv2;
        private readonly BatchNorm bn1, bn2;
        private readonly Tensor? downConv;
        private readonly BatchNorm? downBn;
        private readonly int stride;

        public Block(BenchParameters p, long inC, long outC, int stride)
        {
            this.stride = stride;
            conv1 = p.Conv(outC, inC, 3);
            bn1 = new BatchNorm(p, outC);
            conv2 = p.Conv(outC, outC, 3);
            bn2 = new BatchNorm(p, outC);
            if (stride != 1 || inC != outC)
            {
                downConv = p.Conv(outC, inC, 1);
                downBn = new BatchNorm(p, outC);
            }
        }

        public Tensor Forward(Tensor x)
        {
            var h = bn1.Forward(Functional.Conv2d(x, conv1, stride: (stride, stride), padding: (1, 1))).Relu_();
            h = bn2.Forward(Functional.Conv2d(h, conv2, padding: (1, 1)));
            var identity = downConv is null ? x : downBn!.Forward(Functional.Conv2d(x, downConv, stride: (stride, stride)));
            return h.Add_(identity).Relu_();
        }
    }
}
