namespace OneBit.PeWriter;

/// <summary>CLR_DataType values (nf-interpreter src/CLR/Include/nanoCLR_Types.h) used in signatures.</summary>
public static class NanoDataType
{
    public const byte Void = 0x00;
    public const byte Boolean = 0x01;
    public const byte I1 = 0x02;
    public const byte U1 = 0x03;
    public const byte Char = 0x04;
    public const byte I2 = 0x05;
    public const byte U2 = 0x06;
    public const byte I4 = 0x07;
    public const byte U4 = 0x08;
    public const byte R4 = 0x09;
    public const byte I8 = 0x0A;
    public const byte U8 = 0x0B;
    public const byte R8 = 0x0C;
    public const byte DateTime = 0x0D;
    public const byte TimeSpan = 0x0E;
    public const byte String = 0x0F;
    public const byte Object = 0x10;
    public const byte Class = 0x11;
    public const byte ValueType = 0x12;
    public const byte SzArray = 0x13;
    public const byte ByRef = 0x14;
    public const byte Var = 0x15;
    public const byte GenericInst = 0x16;
    public const byte MVar = 0x17;
    public const byte WeakClass = 0x1B;
    public const byte Reflection = 0x1C;

    /// <summary>Types a signature names by a single data type byte, keyed by full name.</summary>
    public static readonly IReadOnlyDictionary<string, byte> Primitives = new Dictionary<string, byte>(StringComparer.Ordinal)
    {
        ["System.Void"] = Void,
        ["System.SByte"] = I1,
        ["System.Int16"] = I2,
        ["System.Int32"] = I4,
        ["System.Int64"] = I8,
        ["System.Byte"] = U1,
        ["System.UInt16"] = U2,
        ["System.UInt32"] = U4,
        ["System.UInt64"] = U8,
        ["System.Single"] = R4,
        ["System.Double"] = R8,
        ["System.Char"] = Char,
        ["System.String"] = String,
        ["System.Boolean"] = Boolean,
        ["System.Object"] = Object,
        ["System.IntPtr"] = I4,
        ["System.UIntPtr"] = U4,
        ["System.WeakReference"] = WeakClass,
    };

    /// <summary>
    /// CLR_RECORD_TYPEDEF::dataType for the runtime's built-in types (c_CLR_RT_DataTypeLookup
    /// in the interpreter), keyed by full name.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, byte> BuiltIn = new Dictionary<string, byte>(StringComparer.Ordinal)
    {
        ["System.Boolean"] = Boolean,
        ["System.Char"] = Char,
        ["System.SByte"] = I1,
        ["System.Byte"] = U1,
        ["System.Int16"] = I2,
        ["System.UInt16"] = U2,
        ["System.Int32"] = I4,
        ["System.UInt32"] = U4,
        ["System.Int64"] = I8,
        ["System.UInt64"] = U8,
        ["System.Single"] = R4,
        ["System.Double"] = R8,
        ["System.DateTime"] = DateTime,
        ["System.TimeSpan"] = TimeSpan,
        ["System.String"] = String,
        ["System.RuntimeTypeHandle"] = Reflection,
        ["System.RuntimeFieldHandle"] = Reflection,
        ["System.RuntimeMethodHandle"] = Reflection,
        ["System.WeakReference"] = WeakClass,
    };

    /// <summary>Names used by the native-methods checksum (stub names in the interpreter's native tables).</summary>
    public static string ChecksumName(byte dataType) => dataType switch
    {
        Void => "VOID",
        Boolean => "BOOLEAN",
        I1 => "I1",
        U1 => "U1",
        Char => "CHAR",
        I2 => "I2",
        U2 => "U2",
        I4 => "I4",
        U4 => "U4",
        R4 => "R4",
        I8 => "I8",
        U8 => "U8",
        R8 => "R8",
        DateTime => "DATETIME",
        TimeSpan => "TIMESPAN",
        String => "STRING",
        Object => "OBJECT",
        WeakClass => "WEAKCLASS",
        _ => dataType.ToString(),
    };
}
