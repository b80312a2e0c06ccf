namespace OneBit.PeWriter;

/// <summary>
/// Table order of the stable .pe format (CLR_TABLESENUM in nf-interpreter
/// src/CLR/Include/nanoCLR_Types.h). The header holds one start offset per entry;
/// <see cref="EndOfAssembly"/> is the total size.
/// </summary>
public enum PeTable
{
    AssemblyRef = 0,
    TypeRef = 1,
    FieldRef = 2,
    MethodRef = 3,
    TypeDef = 4,
    FieldDef = 5,
    MethodDef = 6,
    Attributes = 7,
    TypeSpec = 8,
    Resources = 9,
    ResourcesData = 10,
    Strings = 11,
    Signatures = 12,
    ByteCode = 13,
    ResourcesFiles = 14,
    EndOfAssembly = 15,
}
