using SharpVision.Cli;
using SharpVision.Cli.Commands;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Models;

[Collection("console")]
public class SummaryCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => ConsoleCapture.Run(args);

    [Fact]
    public void SummaryPrintsTheTableAndExitsZero()
    {
        var (code, output, _) = Run("summary", "--model", "cafe-cnn", "--input", "128", "--classes", "5");
        Assert.Equal(0, code);
        Assert.Contains("Total params: 2,146,245", output);
        Assert.Contains("conv2d_3 (Conv2d)", output);
        Assert.Contains("(None, 6400)", output);
    }

    [Fact]
    public void RectangularInputIsHeightByWidth()
    {
        var (code, output, _) = Run("summary", "--model", "resnet18", "--input", "64x48", "--classes", "5");
        Assert.Equal(0, code);
        Assert.Contains("(None, 512, 2, 2)", output);
        Assert.Contains("(None, 64, 32, 24)", output);
    }

    [Fact]
    public void UnknownModelFailsListingValidNames()
    {
        var (code, _, err) = Run("summary", "--model", "alexnet");
        Assert.NotEqual(0, code);
        Assert.Contains("unknown model 'alexnet'", err);
        Assert.Contains("mobilenet_v2", err);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("12x")]
    [InlineData("big")]
    public void BadInputSizesAreRejected(string text)
    {
        Assert.Throws<ArgumentException>(() => SummaryCommand.ParseSize(text, (1, 1)));
        Assert.Equal((128, 96), SummaryCommand.ParseSize("128x96", (1, 1)));
    }
}
