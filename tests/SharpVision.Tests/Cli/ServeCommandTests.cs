using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

/// <summary>`serve` refuses bad staff-password and decode settings with one line, before loading anything.</summary>
[Collection("console")]
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-serve-cli");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AMissingStaffPasswordFileIsAOneLineError()
    {
        var missing = _dir.File("nope.txt");
        var (code, _, err) = ConsoleCapture.Run("serve", "--model", _dir.File("m.safetensors"), "--staff-password-file", missing);
        Assert.Equal(2, code);
        Assert.Equal($"error: --staff-password-file {missing}: file not found", err.Trim());
    }

    [Fact]
    public void AShortStaffPasswordIsRefused()
    {
        var file = _dir.File("staff.txt");
        File.WriteAllText(file, "1234\n");
        var (code, _, err) = ConsoleCapture.Run("serve", "--model", _dir.File("m.safetensors"), "--staff-password-file", file);
        Assert.Equal(2, code);
        Assert.Equal($"error: --staff-password-file {file}: the staff password must be at least 8 characters", err.Trim());
    }

    [Fact]
    public void MaxDecodesMustBePositive()
    {
        var (code, _, err) = ConsoleCapture.Run("serve", "--model", _dir.File("m.safetensors"), "--max-decodes", "0");
        Assert.Equal(2, code);
        Assert.Equal("error: --max-decodes must be at least 1, got 0", err.Trim());
    }
}
