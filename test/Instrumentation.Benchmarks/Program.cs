using System.Globalization;
using BenchmarkDotNet.Running;
using Instrumentation.Benchmarks;

// Usage: dotnet run -c Release -- --filter '*' [BenchmarkDotNet options]; run.sh wraps this.
//        dotnet run -c Release -- --memory [N]              heap bytes per series in each library (MemoryReport)
//        dotnet run -c Release -- --profile [SERIES ...]    where a scrape's time goes, per series (ProfileReport)
//        dotnet run -c Release -- --profile-loop SERIES SECONDS   gather + text in a loop, for perf record
//        dotnet run -c Release -- --peek [SERIES]           the first lines each library's exporter writes
//        dotnet run -c Release -- --smoke [CLASS]           every benchmark method once, in-process (not a measurement)
switch (args.FirstOrDefault())
{
    case "--memory":
        MemoryReport.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        break;
    case "--profile":
        ProfileReport.Run(args.Length > 1 ? [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [10_000, 100_000, 1_000_000]);
        break;
    case "--profile-loop":
        ProfileReport.Loop(int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture));
        break;
    case "--peek":
        Peek.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000);
        break;
    case "--smoke":
        return Smoke.Run(args.Length > 1 ? args[1] : null);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(SuiteConfig).Assembly).Run(args, new SuiteConfig());
        break;
}
return 0;
