using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Instrumentation.Benchmarks;

using Summary = BenchmarkDotNet.Reports.Summary;

/// <summary>A benchmark that writes bytes per operation and can say how many, for the MB/s column.</summary>
public interface IMeasuresOutput
{
    /// <summary>Sets up with the current parameters, performs the operation once, and returns the bytes it wrote.</summary>
    long MeasureOutputBytes(string benchmarkMethod);
}

/// <summary>
/// "Output MB/s": bytes one operation writes divided by its mean time. The byte count is measured afresh by the host
/// (a new instance with the case's parameters), so it works whichever toolchain ran the benchmark.
/// </summary>
public sealed class OutputThroughputColumn : IColumn
{
    public string Id => nameof(OutputThroughputColumn);

    public string ColumnName => "Output MB/s";

    public bool AlwaysShow => false;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes written per operation / mean time, in 10^6 bytes per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => typeof(IMeasuresOutput).IsAssignableFrom(c.Descriptor.Type));

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var type = benchmarkCase.Descriptor.Type;
        var report = summary[benchmarkCase];
        if (!typeof(IMeasuresOutput).IsAssignableFrom(type) || report?.ResultStatistics is not { } stats)
        {
            return "-";
        }
        var instance = (IMeasuresOutput)Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
            type.GetField(parameter.Name)?.SetValue(instance, parameter.Value);
        }
        var bytes = instance.MeasureOutputBytes(benchmarkCase.Descriptor.WorkloadMethod.Name);
        (instance as IDisposable)?.Dispose();
        if (bytes <= 0)
        {
            return "-";
        }
        return (bytes / stats.Mean * 1e9 / 1e6).ToString("F0");
    }
}

/// <summary>"Alloc/1k series": bytes allocated per operation divided by thousands of series, for cases with a <c>Series</c> parameter.</summary>
public sealed class AllocatedPerThousandSeriesColumn : IColumn
{
    public string Id => nameof(AllocatedPerThousandSeriesColumn);

    public string ColumnName => "Alloc/1k series";

    public bool AlwaysShow => false;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Allocated bytes per operation per 1,000 series";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => SeriesOf(c) is not null);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (SeriesOf(benchmarkCase) is not { } series || report?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase) is not { } bytes)
        {
            return "-";
        }
        return $"{bytes * 1000.0 / series:F0} B";
    }

    private static int? SeriesOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Series")?.Value as int?;
}
