using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SharpVision.Tests.Architecture;

/// <summary>One type's use of another: the user (outermost declaring type) and the used type, both as "Namespace.Name".</summary>
public readonly record struct TypeDependency(string FromNamespace, string FromType, string ToNamespace, string ToType);

/// <summary>
/// Reads an assembly's metadata (no loading, no execution) and lists every type each type uses: base type,
/// interfaces, field types, method signatures and locals, and the types and members its IL references
/// (calls, field accesses, casts, typeof, generic instantiations).
/// </summary>
public static class TypeDependencyScanner
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>All dependencies of the types defined in the assembly file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<TypeDependency> Scan(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var result = new HashSet<TypeDependency>();
        foreach (var handle in md.TypeDefinitions)
        {
            var owner = Outermost(md, handle);
            var (ns, name) = (md.GetString(owner.Namespace), md.GetString(owner.Name));
            if (name == "<Module>") continue;
            var used = new HashSet<(string Ns, string Name)>();
            var sink = new NameSink(md, used);
            var type = md.GetTypeDefinition(handle);
            if (!type.BaseType.IsNil) sink.Add(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations()) sink.Add(md.GetInterfaceImplementation(i).Interface);
            foreach (var f in type.GetFields()) md.GetFieldDefinition(f).DecodeSignature(sink, null);
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                method.DecodeSignature(sink, null);
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                    md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(sink, null);
                foreach (var token in ReferencedTokens(body.GetILReader())) sink.Add(MetadataTokens.EntityHandle(token));
            }
            foreach (var (toNs, toName) in used)
                if (toNs != ns || toName != name) result.Add(new TypeDependency(ns, $"{ns}.{name}", toNs, $"{toNs}.{toName}"));
        }
        return [.. result];
    }

    private static TypeDefinition Outermost(MetadataReader md, TypeDefinitionHandle handle)
    {
        var t = md.GetTypeDefinition(handle);
        while (t.IsNested) t = md.GetTypeDefinition(t.GetDeclaringType());
        return t;
    }

    /// <summary>The metadata tokens of the IL's field, method, type and ldtoken operands.</summary>
    private static IEnumerable<int> ReferencedTokens(BlobReader il)
    {
        var tokens = new List<int>();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE) code = unchecked((short)(0xFE00 | il.ReadByte()));
            switch (OperandTypes[code])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    tokens.Add(il.ReadInt32());
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.Offset += 1; break;
                case OperandType.InlineVar: il.Offset += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: il.Offset += 8; break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32(); // read before Offset: "Offset += 4 * ReadInt32()" would add to the old offset
                    il.Offset += 4 * targets;
                    break;
                default: il.Offset += 4; break; // branch targets, int32, float32, strings, signatures
            }
        }
        return tokens;
    }

    /// <summary>Collects the (namespace, outermost type name) of every type a handle or signature mentions.</summary>
    private sealed class NameSink(MetadataReader md, HashSet<(string, string)> used) : ISignatureTypeProvider<int, object?>
    {
        public void Add(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: GetTypeFromDefinition(md, (TypeDefinitionHandle)handle, 0); break;
                case HandleKind.TypeReference: GetTypeFromReference(md, (TypeReferenceHandle)handle, 0); break;
                case HandleKind.TypeSpecification: GetTypeFromSpecification(md, null, (TypeSpecificationHandle)handle, 0); break;
                case HandleKind.FieldDefinition: Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()); break;
                case HandleKind.MethodDefinition: Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()); break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    if (member.Parent.Kind != HandleKind.ModuleReference) Add(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                    else member.DecodeFieldSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
            }
        }

        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var t = Outermost(reader, handle);
            used.Add((reader.GetString(t.Namespace), reader.GetString(t.Name)));
            return 0;
        }

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeReference(handle);
            while (t.ResolutionScope.Kind == HandleKind.TypeReference) t = reader.GetTypeReference((TypeReferenceHandle)t.ResolutionScope);
            used.Add((reader.GetString(t.Namespace), reader.GetString(t.Name)));
            return 0;
        }

        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        public int GetPinnedType(int elementType) => 0;
    }
}
