using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace SharpVision.Engine.IO.Pickle;

/// <summary>
/// A pickle reader for PyTorch state dicts that never runs code: it understands the opcodes <c>torch.save</c> emits
/// (protocols 2–5) and allows exactly the globals a state dict needs — <c>collections.OrderedDict</c>, the tensor
/// rebuild functions and the typed storage classes. Any other global (<c>os.system</c>, a model class, argparse's
/// Namespace …) and every opcode that instantiates arbitrary objects is refused with <see cref="UnsafePickleException"/>.
/// Like PyTorch's own <c>weights_only=True</c> loader, only with a smaller allow-list.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const int MaxDepth = 10_000;
    private static readonly object Mark = new();

    private static readonly Dictionary<string, DType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = DType.Float32,
        ["DoubleStorage"] = DType.Float64,
        ["HalfStorage"] = DType.Float16,
        ["BFloat16Storage"] = DType.BFloat16,
        ["LongStorage"] = DType.Int64,
        ["IntStorage"] = DType.Int32,
        ["ShortStorage"] = DType.Int16,
        ["CharStorage"] = DType.Int8,
        ["ByteStorage"] = DType.UInt8,
        ["BoolStorage"] = DType.Bool,
    };

    private static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    };

    private readonly byte[] data;
    private readonly string source;
    private readonly Func<object?, PickleStorage> persistentLoad;
    private readonly List<object?> stack = new();
    private readonly Dictionary<long, object?> memo = new();
    private int pos;

    private RestrictedUnpickler(byte[] data, int start, string source, Func<object?, PickleStorage> persistentLoad)
    {
        this.data = data;
        pos = start;
        this.source = source;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Position after the last STOP read (legacy files hold several pickles back to back).</summary>
    public int End => pos;

    /// <summary>Reads one pickle starting at <paramref name="start"/>; returns the value and the offset after its STOP.</summary>
    public static (object? Value, int End) Load(byte[] data, int start, string source, Func<object?, PickleStorage> persistentLoad)
    {
        var reader = new RestrictedUnpickler(data, start, source, persistentLoad);
        var value = reader.Run();
        return (value, reader.End);
    }

    /// <summary>The element type of a storage class name ("FloatStorage"), or null when it is not a storage class.</summary>
    public static DType? StorageType(object? value) =>
        value is PickleGlobal { Module: "torch" } g && StorageTypes.TryGetValue(g.Name, out var t) ? t : null;

    private object? Run()
    {
        while (true)
        {
            if (stack.Count > MaxDepth) throw Bad("is nested too deeply");
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                                  // PROTO
                case 0x95: ReadBytes(8); break;                                // FRAME
                case (byte)'.': return Pop();                                  // STOP
                case (byte)'(': stack.Add(Mark); break;                        // MARK
                case (byte)'}': stack.Add(new PickleDict()); break;            // EMPTY_DICT
                case (byte)']': stack.Add(new List<object?>()); break;         // EMPTY_LIST
                case (byte)')': stack.Add(Array.Empty<object?>()); break;      // EMPTY_TUPLE
                case (byte)'N': stack.Add(null); break;                        // NONE
                case 0x88: stack.Add(true); break;                             // NEWTRUE
                case 0x89: stack.Add(false); break;                            // NEWFALSE
                case (byte)'K': stack.Add((long)ReadByte()); break;            // BININT1
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;  // BININT
                case 0x8a: stack.Add(ReadLong(ReadByte())); break;             // LONG1
                case 0x8b: stack.Add(ReadLong(ReadLength(4))); break;          // LONG4
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case (byte)'X': stack.Add(ReadUtf8(ReadLength(4))); break;     // BINUNICODE
                case 0x8c: stack.Add(ReadUtf8(ReadByte())); break;             // SHORT_BINUNICODE
                case 0x8d: stack.Add(ReadUtf8(ReadLength(8))); break;          // BINUNICODE8
                case (byte)'T': stack.Add(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break; // BINSTRING
                case (byte)'U': stack.Add(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break;   // SHORT_BINSTRING
                case (byte)'B': stack.Add(ReadBytes(ReadLength(4)).ToArray()); break;  // BINBYTES
                case (byte)'C': stack.Add(ReadBytes(ReadByte()).ToArray()); break;     // SHORT_BINBYTES
                case 0x8e: stack.Add(ReadBytes(ReadLength(8)).ToArray()); break;       // BINBYTES8
                case 0x85: stack.Add(new[] { Pop() }); break;                  // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'t': stack.Add(PopToMark().ToArray()); break;       // TUPLE
                case (byte)'l': stack.Add(PopToMark()); break;                 // LIST
                case (byte)'a': { var v = Pop(); AsList(Peek()).Add(v); break; } // APPEND
                case (byte)'e': { var items = PopToMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'s': { var v = Pop(); var k = Pop(); AsDict(Peek()).Set(k, v); break; } // SETITEM
                case (byte)'u':                                                // SETITEMS
                {
                    var items = PopToMark();
                    if (items.Count % 2 != 0) throw Bad("has an odd SETITEMS list");
                    var dict = AsDict(Peek());
                    for (var i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
                    break;
                }
                case (byte)'d':                                                // DICT
                {
                    var items = PopToMark();
                    var dict = new PickleDict();
                    for (var i = 0; i + 1 < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
                    stack.Add(dict);
                    break;
                }
                case (byte)'q': memo[ReadByte()] = Peek(); break;              // BINPUT
                case (byte)'r': memo[ReadLength(4)] = Peek(); break;           // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break;                   // MEMOIZE
                case (byte)'h': stack.Add(Get(ReadByte())); break;             // BINGET
                case (byte)'j': stack.Add(Get(ReadLength(4))); break;          // LONG_BINGET
                case (byte)'c':                                                // GLOBAL
                {
                    var module = ReadLine();
                    var name = ReadLine();
                    stack.Add(Global(module, name));
                    break;
                }
                case 0x93:                                                     // STACK_GLOBAL
                {
                    var name = Pop() as string ?? throw Bad("has a STACK_GLOBAL name that is not a string");
                    var module = Pop() as string ?? throw Bad("has a STACK_GLOBAL module that is not a string");
                    stack.Add(Global(module, name));
                    break;
                }
                case (byte)'Q': stack.Add(persistentLoad(Pop())); break;       // BINPERSID
                case (byte)'R':                                                // REDUCE
                {
                    var args = Pop() as object?[] ?? throw Bad("calls a function without an argument tuple");
                    var callable = Pop();
                    stack.Add(Reduce(callable, args));
                    break;
                }
                case (byte)'b':                                                // BUILD
                {
                    var state = Pop();
                    // OrderedDict keeps the state dict's _metadata (per-module versions) as instance state: not needed.
                    if (Peek() is not PickleDict && Peek() is not PickleTensor)
                        throw Bad($"sets the state of a {Describe(Peek())}, which a state dict never does");
                    _ = state;
                    break;
                }
                case (byte)'0': Pop(); break;                                  // POP
                case (byte)'1': PopToMark(); break;                            // POP_MARK
                case (byte)'2': stack.Add(Peek()); break;                      // DUP
                default:
                    throw new UnsafePickleException(
                        $"{source}: the pickle uses opcode 0x{op:x2} ('{(char)op}') at byte {pos - 1}, which a PyTorch state dict does not need; refused without running anything");
            }
        }
    }

    private PickleGlobal Global(string module, string name)
    {
        var g = new PickleGlobal(module, name);
        if (AllowedGlobals.Contains(g.FullName) || StorageType(g) is not null) return g;
        throw new UnsafePickleException(
            $"{source}: the pickle asks for the Python global '{g.FullName}', which is not a tensor, storage or dictionary; " +
            "refused without running anything (only state dicts of tensors can be read: save model.state_dict())");
    }

    private object? Reduce(object? callable, object?[] args)
    {
        if (callable is not PickleGlobal g) throw Bad($"calls a {Describe(callable)}, which is not an allowed function");
        switch (g.FullName)
        {
            case "collections.OrderedDict":
                if (args.Length != 0) throw Bad("builds an OrderedDict from arguments");
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
            {
                if (args.Length < 4) throw Bad("rebuilds a tensor with too few arguments");
                var storage = args[0] as PickleStorage ?? throw Bad("rebuilds a tensor from something that is not a storage");
                return new PickleTensor(storage, AsLong(args[1]), AsLongs(args[2]), AsLongs(args[3]));
            }
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                if (args.Length < 1 || args[0] is not PickleTensor t) throw Bad("rebuilds a parameter from something that is not a tensor");
                return t;
            default:
                throw Bad($"calls {g.FullName}, which cannot be called");
        }
    }

    private long AsLong(object? v) => v is long l ? l : throw Bad($"has {Describe(v)} where an integer belongs");

    private long[] AsLongs(object? v) =>
        v is object?[] tuple ? tuple.Select(AsLong).ToArray() : throw Bad($"has {Describe(v)} where a tuple of integers belongs");

    private List<object?> AsList(object? v) => v as List<object?> ?? throw Bad($"appends to a {Describe(v)}");

    private PickleDict AsDict(object? v) => v as PickleDict ?? throw Bad($"sets an item of a {Describe(v)}");

    private object? Get(long key) => memo.TryGetValue(key, out var v) ? v : throw Bad($"reads memo entry {key}, which was never stored");

    private object? Peek() => stack.Count > 0 && !ReferenceEquals(stack[^1], Mark) ? stack[^1] : throw Bad("reads from an empty stack");

    private object? Pop()
    {
        var v = Peek();
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private List<object?> PopToMark()
    {
        var i = stack.FindLastIndex(o => ReferenceEquals(o, Mark));
        if (i < 0) throw Bad("has no MARK where one is needed");
        var items = stack.GetRange(i + 1, stack.Count - i - 1);
        stack.RemoveRange(i, stack.Count - i);
        return items;
    }

    private byte ReadByte() => pos < data.Length ? data[pos++] : throw Truncated();

    private ReadOnlySpan<byte> ReadBytes(long n)
    {
        if (n < 0 || n > data.Length - pos) throw Truncated();
        var span = data.AsSpan(pos, (int)n);
        pos += (int)n;
        return span;
    }

    private long ReadLength(int bytes)
    {
        var raw = ReadBytes(bytes);
        var n = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : (long)BinaryPrimitives.ReadUInt64LittleEndian(raw);
        return n < 0 || n > data.Length ? throw Truncated() : n;
    }

    // A long when it fits (every size, stride and offset does); a BigInteger otherwise (the legacy format's magic number).
    private object ReadLong(long n)
    {
        if (n > 16) throw Bad($"holds a {n}-byte integer, larger than any checkpoint needs");
        var value = new BigInteger(ReadBytes(n), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private string ReadUtf8(long n) => Encoding.UTF8.GetString(ReadBytes(n));

    private string ReadLine()
    {
        var end = Array.IndexOf(data, (byte)'\n', pos);
        if (end < 0 || end - pos > 256) throw Truncated();
        var s = Encoding.ASCII.GetString(data, pos, end - pos);
        pos = end + 1;
        return s;
    }

    private InvalidDataException Truncated() => new($"{source}: the pickle ends early at byte {pos} (truncated or not a PyTorch file)");

    private InvalidDataException Bad(string what) => new($"{source}: the pickle {what} (not a PyTorch state dict?)");

    private static string Describe(object? v) => v switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        PickleDict => "dict",
        PickleTensor => "tensor",
        PickleStorage => "storage",
        object?[] => "tuple",
        List<object?> => "list",
        _ => v.GetType().Name,
    };
}
