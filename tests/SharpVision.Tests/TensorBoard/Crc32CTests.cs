using System.Text;
using SharpVision.Reports.TensorBoard;

namespace SharpVision.Tests.TensorBoard;

public class Crc32CTests
{
    [Fact]
    public void MatchesTheStandardCheckValue() => Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void MatchesTheRfc3720TestVectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void AppendEqualsOneShot()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 10)), data.AsSpan(10)));
    }

    [Fact]
    public void MaskFollowsTheTfRecordFormulaAndUnmasks()
    {
        foreach (var crc in new[] { 0u, 1u, 0xE3069283u, 0xFFFFFFFFu })
        {
            var expected = unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
            Assert.Equal(expected, Crc32C.Mask(crc));
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        }
    }
}
