using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Tests.Data;

public class SplitAndNormalizationTests
{
    [Fact]
    public void Stratified_KeepsClassProportions_AndIsSeeded()
    {
        var labels = Enumerable.Repeat(0, 100).Concat(Enumerable.Repeat(1, 50)).Concat(Enumerable.Repeat(2, 10)).ToArray();
        var ds = new SyntheticDataset(labels, 3);
        var (train, val) = DatasetSplit.Stratified(ds, 0.2, seed: 4);
        Assert.Equal(new[] { 20, 10, 2 }, val.ClassCounts());
        Assert.Equal(new[] { 80, 40, 8 }, train.ClassCounts());
        Assert.Empty(train.Indices.Intersect(val.Indices));
        Assert.Equal(160, train.Count + val.Count);
        var again = DatasetSplit.Stratified(ds, 0.2, seed: 4);
        Assert.Equal(val.Indices, again.Validation.Indices);
        Assert.NotEqual(val.Indices, DatasetSplit.Stratified(ds, 0.2, seed: 5).Validation.Indices);
        Assert.Equal(labels[val.Indices[0]], val.Label(0));
        Assert.Same(ds.Skipped, val.Skipped);
    }

    [Fact]
    public void Preprocessor_Modes()
    {
        var wide = new RgbImage(40, 20);
        Array.Fill(wide.Pixels, (byte)200);
        var letter = new ImagePreprocessor(20, 20, ResizeMode.Letterbox, padValue: 7).Process(wide);
        Assert.Equal((20, 20), (letter.Width, letter.Height));
        Assert.Equal(7, letter.Pixels[letter.Offset(10, 0)]);   // bar
        Assert.Equal(200, letter.Pixels[letter.Offset(10, 10)]); // content
        var crop = new ImagePreprocessor(20, 20, ResizeMode.CenterCrop).Process(Imaging.ImageFixtures.RedLeftBlueRight(40, 20));
        Assert.Equal((20, 20), (crop.Width, crop.Height));
        Assert.Equal(255, crop.Pixels[crop.Offset(2, 10)]);        // red from the centre-left
        Assert.Equal(255, crop.Pixels[crop.Offset(17, 10) + 2]);   // blue from the centre-right
        using var t = new ImagePreprocessor(8, 6).ToTensor(wide);
        Assert.Equal(new long[] { 1, 3, 8, 6 }, t.Shape);
    }

    [Fact]
    public void Normalization_Modes_AndRoundTripThroughAMap()
    {
        using var x = Tensor.FromArray(new byte[] { 0, 255, 51, 102, 153, 204 }, 1, 3, 1, 2);
        using var unit = Normalization.Unit.Apply(x);
        Assert.Equal(DType.Float32, unit.DType);
        Assert.Equal(1f, unit.ToArray<float>()[1], 5);
        using var pm = Normalization.MinusOneToOne.Apply(x);
        Assert.Equal(-1f, pm.ToArray<float>()[0], 5);
        using var imagenet = Normalization.ImageNet.Apply(x);
        Assert.Equal((0.0 - 0.485) / 0.229, imagenet.ToArray<float>()[0], 4);
        Assert.Equal((0.8 - 0.406) / 0.225, imagenet.ToArray<float>()[5], 4);

        var fitted = Normalization.Featurewise(new[] { 0.1, 0.2, 0.3 }, new[] { 0.5, 0.25, 0.125 });
        var back = Normalization.FromMap(fitted.ToMap());
        Assert.Equal(NormalizationMode.Featurewise, back.Mode);
        Assert.Equal(fitted.Mean, back.Mean);
        Assert.Equal(fitted.Std, back.Std);
        Assert.Same(Normalization.ImageNet, Normalization.FromMap(Normalization.ImageNet.ToMap()));
        Assert.Throws<FormatException>(() => Normalization.FromMap(new Dictionary<string, string> { ["normalization.mode"] = "weird" }));
        using var gray = Tensor.Zeros(new long[] { 1, 1, 2, 2 }, DType.UInt8);
        Assert.Throws<ArgumentException>(() => Normalization.ImageNet.Apply(gray));
    }

    [Fact]
    public void FitFeaturewise_MeasuresPerChannelStatistics()
    {
        // Synthetic images: R = index % 256, G = 0 (index < 256), B = label ∈ {0, 1}.
        var ds = SyntheticDataset.Balanced(2, 2); // indices 0..3, labels 0,1,0,1
        var loader = new DataLoader(ds, new ImagePreprocessor(SyntheticDataset.Side, SyntheticDataset.Side), new DataLoaderOptions { BatchSize = 3 });
        var n = Normalization.FitFeaturewise(loader);
        Assert.Equal(1.5 / 255, n.Mean[0], 6);
        Assert.Equal(Math.Sqrt(1.25) / 255, n.Std[0], 6);
        Assert.Equal(0, n.Mean[1], 6);
        Assert.Equal(1e-6, n.Std[1], 9); // constant channel: floored, no division by zero
        Assert.Equal(0.5 / 255, n.Mean[2], 6);
    }
}
