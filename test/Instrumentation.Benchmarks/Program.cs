using BenchmarkDotNet.Running;
using Instrumentation.Benchmarks;

// Usage: dotnet run -c Release -- --filter '*' [BenchmarkDotNet options]; run.sh wraps this.
BenchmarkSwitcher.FromAssembly(typeof(SuiteConfig).Assembly).Run(args, new SuiteConfig());
