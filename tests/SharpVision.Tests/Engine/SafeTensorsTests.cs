using System.Buffers.Binary;
using System.Text;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Engine;

/// <summary>safetensors reading and writing, checked against bytes built from the specification, and atomic writes.</summary>
public class SafeTensorsTests
{
    [Fact]
    public void RoundTripKeepsDtypesShapesValuesAndMetadata()
    {
        using var dir = new TempDirectory();
        using var scope = Torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.FromArray(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, 2, 3),
            ["f64"] = Tensor.FromArray(new[] { Math.PI }),
            ["i64"] = Tensor.FromArray(new[] { long.MinValue, 42L }),
            ["i32"] = Tensor.FromArray(new[] { -7, 7 }, 1, 2),
            ["u8"] = Tensor.FromArray(new byte[] { 0, 128, 255 }),
            ["bool"] = Tensor.FromArray(new[] { true, false, true }),
            ["scalar"] = Tensor.Scalar(2.5),
            ["empty"] = Tensor.Zeros(new long[] { 0, 3 }),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };
        var path = dir.File("w.safetensors");
        SafeTensors.Save(path, tensors, metadata);

        var (loaded, meta) = SafeTensors.Load(path);
        using var loadedScope = new DisposeAll(loaded.Values);
        Assert.Equal(metadata, meta);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, loaded[name].DType);
            Assert.Equal(t.Shape, loaded[name].Shape);
            Assert.Equal(t.ToBytes(), loaded[name].ToBytes());
        }
        using var file = SafeTensorsFile.Open(path);
        Assert.True(file.Contains("i32"));
        Assert.Equal(new long[] { 1, 2 }, file.Info("i32").Shape);
        Assert.Throws<KeyNotFoundException>(() => file.Info("nope"));
    }

    [Fact]
    public void WrittenBytesEqualAFileBuiltByHandFromTheSpecification()
    {
        using var scope = Torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["b"] = Tensor.FromArray(new long[] { 1, -2 }),
            ["a"] = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f }, 2, 2),
        };
        var ours = SafeTensors.Serialize(tensors, new Dictionary<string, string> { ["k"] = "v" });

        // Spec: u64 little-endian header size N, N bytes of UTF-8 JSON (space padding allowed), then the data.
        // Tensors in the data section in name order: "a" (16 bytes F32) then "b" (16 bytes I64).
        var json = "{\"__metadata__\":{\"k\":\"v\"},"
                 + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                 + "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]}}";
        var header = Encoding.UTF8.GetBytes(json).ToList();
        while (header.Count % 8 != 0) header.Add((byte)' ');
        var expected = new List<byte>();
        var size = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)header.Count);
        expected.AddRange(size);
        expected.AddRange(header);
        foreach (var f in new[] { 1f, 2f, 3f, 4f }) expected.AddRange(BitConverter.GetBytes(f));
        foreach (var l in new[] { 1L, -2L }) expected.AddRange(BitConverter.GetBytes(l));

        Assert.Equal(expected.ToArray(), ours);
        var (back, meta) = SafeTensors.Deserialize(expected.ToArray());
        using var backScope = new DisposeAll(back.Values);
        Assert.Equal(new long[] { 1, -2 }, back["b"].ToArray<long>());
        Assert.Equal("v", meta["k"]);
    }

    [Fact]
    public void MalformedFilesRaiseInvalidDataNamingTheFileAndTheField()
    {
        using var dir = new TempDirectory();
        using var scope = Torch.NewDisposeScope();
        var good = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray(new float[] { 1, 2, 3, 4 }) });

        void Expect(string name, byte[] bytes, string field)
        {
            var path = dir.File(name);
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains(field, e.Message);
        }

        Expect("truncated.safetensors", good[..^4], "data_offsets");
        Expect("tiny.safetensors", good[..5], "header");
        Expect("badjson.safetensors", WithHeader("{\"w\":{\"dtype\":\"F32\",", Array.Empty<byte>()), "JSON");
        Expect("range.safetensors", WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[16]), "data_offsets");
        Expect("size.safetensors", WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}", new byte[16]), "data_offsets");
        Expect("dtype.safetensors", WithHeader("{\"w\":{\"dtype\":\"F33\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]), "dtype");
        Expect("shape.safetensors", WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", new byte[16]), "shape");
        Expect("meta.safetensors", WithHeader("{\"__metadata__\":{\"k\":1}}", Array.Empty<byte>()), "__metadata__");
        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(dir.File("missing.safetensors")));
    }

    [Fact]
    public void AFailingWriterLeavesTheOldFileIntactAndNoTempFiles()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        AtomicFile.WriteAllText(path, "old content");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(Encoding.UTF8.GetBytes("half of the new"));
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
        AtomicFile.WriteAllText(path, "new content");
        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    private static byte[] WithHeader(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private sealed class DisposeAll(IEnumerable<Tensor> tensors) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in tensors) t.Dispose();
        }
    }
}
