// A new web project's Program.cs: no `using` for AddMetricsRegistry, UseHttpMetrics or MapMetrics.
using Instrumentation;
using Instrumentation.Testing;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMetricsRegistry(o => o.ConstLabels["app"] = "consumer")
    .AddProcessCollector()
    .AddRuntimeCollector();

var app = builder.Build();
app.UseHttpMetrics();
app.MapGet("/work", (ICounter<JobsDone> done) =>
{
    done.Inc();
    // The Testing package resolves too (a test would do this; here it proves the package is usable).
    return MetricsTestUtil.ToDouble(done).ToString(System.Globalization.CultureInfo.InvariantCulture);
});
app.MapGet("/lint", (IGatherer gatherer) => string.Join('\n', Linter.Lint(gatherer).Select(p => p.ToString())));
app.MapMetrics("/metrics");
app.Run();

/// <summary>A typed counter, injected where it is used.</summary>
public sealed class JobsDone : ICounterDefinition
{
    public static string Name => "consumer_jobs_done_total";
    public static string Help => "Jobs done by the consumer app.";
}
