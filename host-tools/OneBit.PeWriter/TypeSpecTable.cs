using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// TBL_TypeSpec: types that need a signature to be named (arrays used as operands, ...).
/// Rows are created on first use while byte code is generated, keyed by full name.
/// </summary>
public sealed class TypeSpecTable
{
    private readonly Dictionary<string, ushort> _ids = new(StringComparer.Ordinal);
    private readonly List<TypeReference> _rows = new();

    public IReadOnlyList<TypeReference> Rows => _rows;

    public ushort GetOrCreate(TypeReference type)
    {
        if (_ids.TryGetValue(type.FullName, out var id))
        {
            return id;
        }

        if (type is ArrayType array && array.Rank > 1)
        {
            throw new PeLimitException(type.FullName, "multidimensional arrays are not supported by nanoCLR (only SZARRAY exists in CLR_DataType)");
        }

        id = (ushort)_rows.Count;
        _ids.Add(type.FullName, id);
        _rows.Add(type);
        return id;
    }
}
