using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The suite's one job: few, short iterations so the whole suite runs in minutes on two cores. Figures are for
/// comparing rows of one run (ratios against the baselines), not for absolute claims.
/// </summary>
public sealed class SuiteConfig : ManualConfig
{
    public SuiteConfig()
    {
        AddJob(Job.Default
            .WithId("Short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(4)
            .WithIterationTime(TimeInterval.FromMilliseconds(150)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddColumn(new OutputThroughputColumn(), new AllocatedPerThousandSeriesColumn());
        AddExporter(MarkdownExporter.GitHub);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        AddColumn(StatisticColumn.Median);
        HideColumns(Column.Job, Column.Error, Column.RatioSD, Column.AllocRatio, Column.Gen0, Column.Gen1, Column.Gen2);
        WithOption(ConfigOptions.JoinSummary, false);
    }
}
