using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OneBit.Benchmarks;

/// <summary>
/// Adds two columns to a benchmark class whose parameter implements <see cref="IBinaryMacs"/>: the binary MACs of one
/// operation and the throughput, binary MACs per second of the mean time.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BinaryMacsColumnsAttribute : ColumnConfigBaseAttribute
{
    public BinaryMacsColumnsAttribute() : base(new BinaryMacsColumn(perSecond: false), new BinaryMacsColumn(perSecond: true))
    {
    }
}

public sealed class BinaryMacsColumn : IColumn
{
    private readonly bool _perSecond;

    public BinaryMacsColumn(bool perSecond) => _perSecond = perSecond;

    public string Id => nameof(BinaryMacsColumn) + (_perSecond ? ".PerSecond" : ".PerOp");
    public string ColumnName => _perSecond ? "GMAC/s" : "MACs/op";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _perSecond ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _perSecond
        ? "Binary MACs per second of the mean time, in billions"
        : "Binary MACs (weight bit x activation, padded taps included) of one operation";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        long? macs = MacsOf(benchmarkCase);
        if (macs is null) return "-";
        if (!_perSecond) return macs.Value.ToString("N0", CultureInfo.InvariantCulture);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null || meanNs <= 0) return "-";
        return (macs.Value / meanNs.Value).ToString("F2", CultureInfo.InvariantCulture);   // MACs per ns = G MACs/s
    }

    private static long? MacsOf(BenchmarkCase benchmarkCase)
    {
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Value is IBinaryMacs source) return source.BinaryMacs;
        }
        return null;
    }

    public override string ToString() => ColumnName;
}
