using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Tests.Augmentation;

public class AugmentationSpecTests
{
    private const string Full =
        "flip=h,rotate=30,shift=0.1,zoom=0.1,shear=10,brightness=0.75:1.25,fill=reflect,erase=0.25,noise=0.02,crop=0.08:1," +
        "mixup=0.2,cutmix=1.0,channel_shift=0.1,jitter=0.2";

    [Fact]
    public void ParsesTheDocumentedCompactForm()
    {
        var s = AugmentationSpec.Parse(Full);
        Assert.True(s.FlipHorizontal);
        Assert.False(s.FlipVertical);
        Assert.Equal(30, s.Rotation);
        Assert.Equal(0.1, s.WidthShift);
        Assert.Equal(0.1, s.HeightShift);
        Assert.Equal(new UniformRange(0.9, 1.1), s.Zoom);
        Assert.Equal(10, s.Shear);
        Assert.Equal(new UniformRange(0.75, 1.25), s.Brightness);
        Assert.Equal(FillMode.Reflect, s.Fill);
        Assert.Equal(0.25, s.Erase);
        Assert.Equal(0.02, s.Noise);
        Assert.Equal(new UniformRange(0.08, 1), s.CropScale);
        Assert.Equal(0.2, s.MixUp);
        Assert.Equal(1.0, s.CutMix);
        Assert.Equal(0.1, s.ChannelShift);
        Assert.Equal(0.2, s.Jitter);
        Assert.True(s.HasGeometry && s.HasPhotometric && s.HasBatchMixing);
    }

    [Fact]
    public void ParsesTheRemainingKeysAndForms()
    {
        var s = AugmentationSpec.Parse("flip=hv, width_shift=0.2, height_shift=0.05, zoom=0.8:1.5, crop=0.5, crop_ratio=0.5, " +
                                       "fill=constant, fill_value=0.5, interp=nearest, brightness=0.3, hue=0.1");
        Assert.True(s.FlipHorizontal && s.FlipVertical);
        Assert.Equal(0.2, s.WidthShift);
        Assert.Equal(0.05, s.HeightShift);
        Assert.Equal(new UniformRange(0.8, 1.5), s.Zoom);
        Assert.Equal(new UniformRange(0.5, 1), s.CropScale);
        Assert.Equal(new UniformRange(0.5, 2), s.CropRatio);
        Assert.Equal(FillMode.Constant, s.Fill);
        Assert.Equal(0.5, s.FillValue);
        Assert.Equal(GridSampleMode.Nearest, s.Interpolation);
        Assert.Equal(new UniformRange(0.7, 1.3), s.Brightness);
        Assert.Equal(0.1, s.Hue);
        Assert.True(AugmentationSpec.Parse("flip=v").FlipVertical);
    }

    [Theory]
    [InlineData(Full)]
    [InlineData("flip=hv,width_shift=0.2,height_shift=0.05,zoom=0.8:1.5,crop=0.5,crop_ratio=0.5,fill=constant,fill_value=0.5,interp=nearest,brightness=0.3,hue=0.1")]
    [InlineData("rotate=12.5,noise=0.001")]
    [InlineData("none")]
    [InlineData("light")]
    [InlineData("case-study")]
    [InlineData("strong")]
    public void ToStringRoundTrips(string text)
    {
        var spec = AugmentationSpec.Parse(text);
        var written = spec.ToString();
        Assert.Equal(spec, AugmentationSpec.Parse(written));
        Assert.Equal(written, AugmentationSpec.Parse(written).ToString());
    }

    [Fact]
    public void EmptyAndNoneAreTheIdentity()
    {
        Assert.True(AugmentationSpec.Parse("").IsIdentity);
        Assert.True(AugmentationSpec.Parse("none").IsIdentity);
        Assert.Equal("none", new AugmentationSpec().ToString());
        Assert.Equal(AugmentationSpec.None, AugmentationSpec.Parse(" none "));
    }

    [Fact]
    public void CaseStudyPresetHasTheTextbookSettings()
    {
        var s = AugmentationSpec.Parse("case-study");
        Assert.Same(AugmentationSpec.CaseStudy, AugmentationSpec.Preset("case-study"));
        Assert.Equal(AugmentationSpec.CaseStudy, s);
        Assert.Equal(30, s.Rotation);
        Assert.Equal(0.1, s.WidthShift);
        Assert.Equal(0.1, s.HeightShift);
        Assert.Equal(new UniformRange(0.9, 1.1), s.Zoom);
        Assert.True(s.FlipHorizontal);
        Assert.False(s.FlipVertical);
        Assert.Equal(new UniformRange(0.75, 1.25), s.Brightness);
        Assert.False(s.HasBatchMixing);
    }

    [Fact]
    public void EveryPresetParsesAndItemsAfterAPresetOverrideIt()
    {
        foreach (var name in AugmentationSpec.PresetNames) Assert.Equal(AugmentationSpec.Preset(name), AugmentationSpec.Parse(name));
        Assert.False(AugmentationSpec.Light.IsIdentity);
        Assert.True(AugmentationSpec.Strong.HasBatchMixing);

        var s = AugmentationSpec.Parse("case-study,rotate=5,erase=0.5");
        Assert.Equal(5, s.Rotation);
        Assert.Equal(0.5, s.Erase);
        Assert.Equal(AugmentationSpec.CaseStudy.Brightness, s.Brightness);
    }

    [Theory]
    [InlineData("rotation=30", "'rotation'")]
    [InlineData("rotate=abc", "'abc'")]
    [InlineData("rotate=500", "'rotate'")]
    [InlineData("flip=x", "'x'")]
    [InlineData("zoom=1.2:0.8", "'zoom'")]
    [InlineData("fill=wrap", "'wrap'")]
    [InlineData("rotate=30,bogus", "'bogus'")]
    [InlineData("rotate=30,light", "'light'")]
    public void BadInputNamesTheItemAndListsAllValidKeys(string text, string named)
    {
        var e = Assert.Throws<FormatException>(() => AugmentationSpec.Parse(text));
        Assert.Contains(named, e.Message);
        foreach (var key in AugmentationSpec.ValidKeys) Assert.Contains(key, e.Message);
        foreach (var preset in AugmentationSpec.PresetNames) Assert.Contains(preset, e.Message);
    }

    [Fact]
    public void UnknownPresetNamesThePresets()
    {
        var e = Assert.Throws<ArgumentException>(() => AugmentationSpec.Preset("heavy"));
        Assert.Contains("heavy", e.Message);
        Assert.Contains("case-study", e.Message);
    }
}
