namespace OneBit.Benchmarks;

/// <summary>A benchmark parameter that knows how many binary MACs one benchmarked operation performs.</summary>
public interface IBinaryMacs
{
    /// <summary>Weight bit × activation multiply-accumulates of one operation (each b-bit activation counts once).</summary>
    long BinaryMacs { get; }
}
