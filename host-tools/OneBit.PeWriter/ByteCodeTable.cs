using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// TBL_ByteCode: method bodies back to back in method-id order. A method's RVA
/// (CLR_RECORD_METHODDEF::RVA) is its 16-bit offset here, 0xFFFF when it has no body.
/// </summary>
internal sealed class ByteCodeTable
{
    private readonly PeModel _model;
    private readonly ByteCodeRewriter _rewriter;
    private readonly List<MethodDefinition> _methods = new();
    private readonly Dictionary<string, ushort> _rvas = new(StringComparer.Ordinal);
    private int _next;

    public ByteCodeTable(PeModel model, ByteCodeRewriter rewriter)
    {
        _model = model;
        _rewriter = rewriter;
    }

    public ushort NextMethodId => (ushort)_methods.Count;

    /// <summary>Assigns the next method id and reserves the body; sizing uses a scratch string table.</summary>
    public ushort Register(MethodDefinition method, StringTable scratchStrings)
    {
        var rva = method.HasBody ? (ushort)_next : (ushort)0xFFFF;
        var id = (ushort)_methods.Count;
        var code = _rewriter.Rewrite(method, scratchStrings);
        if (_next + code.Length > ushort.MaxValue)
        {
            throw new PeLimitException(method.FullName, "byte code table exceeds 64 KB: method RVAs are 16-bit offsets (CLR_OFFSET, nanoCLR_Types.h)");
        }

        _methods.Add(method);
        _next += code.Length;
        _rvas.TryAdd(method.FullName, rva);
        return id;
    }

    public ushort Rva(MethodDefinition method) => _rvas.TryGetValue(method.FullName, out var rva) ? rva : (ushort)0xFFFF;

    public byte[] Write(StringTable strings)
    {
        var b = new ByteBuffer();
        foreach (var m in _methods)
        {
            b.Bytes(_rewriter.Rewrite(m, strings));
        }

        return b.ToArray();
    }
}
