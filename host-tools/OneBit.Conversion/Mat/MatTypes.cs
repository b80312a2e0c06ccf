namespace OneBit.Conversion.Mat;

/// <summary>Data element types of the MAT v5 format (MathWorks "MAT-File Format", table "MAT-File Data Types").</summary>
public enum MatDataType
{
    Int8 = 1, UInt8 = 2, Int16 = 3, UInt16 = 4, Int32 = 5, UInt32 = 6, Single = 7,
    Double = 9, Int64 = 12, UInt64 = 13, Matrix = 14, Compressed = 15, Utf8 = 16, Utf16 = 17, Utf32 = 18,
}

/// <summary>MATLAB array classes (the low byte of the array-flags word of an miMATRIX element).</summary>
public enum MatClass
{
    Cell = 1, Struct = 2, Object = 3, Char = 4, Sparse = 5, Double = 6, Single = 7,
    Int8 = 8, UInt8 = 9, Int16 = 10, UInt16 = 11, Int32 = 12, UInt32 = 13, Int64 = 14, UInt64 = 15,
    Function = 16, Opaque = 17,
}

internal static class MatTypeInfo
{
    /// <summary>Bytes per element of a numeric/character storage type, or 0 for a type that is not a plain array.</summary>
    public static int ElementSize(MatDataType t) => t switch
    {
        MatDataType.Int8 or MatDataType.UInt8 or MatDataType.Utf8 => 1,
        MatDataType.Int16 or MatDataType.UInt16 or MatDataType.Utf16 => 2,
        MatDataType.Int32 or MatDataType.UInt32 or MatDataType.Single or MatDataType.Utf32 => 4,
        MatDataType.Double or MatDataType.Int64 or MatDataType.UInt64 => 8,
        _ => 0,
    };

    public static bool IsKnown(uint t) => t is >= 1 and <= 18 && t != 8 && t != 10 && t != 11;

    public static bool IsNumericClass(MatClass c) => c is >= MatClass.Double and <= MatClass.UInt64;
}
