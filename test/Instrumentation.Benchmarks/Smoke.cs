using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>--smoke [CLASS-SUBSTRING]</c>: every benchmark method once, in this process, with the first value of each
/// parameter, after its class's global setup; prints each call's time. Checks that the suite runs (e.g. on a machine
/// too busy for BenchmarkDotNet's build timeout); the times are not measurements.
/// </summary>
public static class Smoke
{
    public static int Run(string? filter)
    {
        var failures = 0;
        foreach (var type in typeof(Smoke).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)).OrderBy(t => t.Name))
        {
            if (filter is not null && !type.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
            {
                property.SetValue(instance, property.GetCustomAttribute<ParamsAttribute>()!.Values[0]);
            }
            Invoke<GlobalSetupAttribute>(type, instance);
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                var description = method.GetCustomAttribute<BenchmarkAttribute>()!.Description ?? method.Name;
                try
                {
                    var watch = Stopwatch.StartNew();
                    method.Invoke(instance, null);
                    Console.WriteLine($"ok   {type.Name}: {description} ({watch.Elapsed.TotalMilliseconds:F2} ms)");
                }
                catch (TargetInvocationException ex)
                {
                    failures++;
                    Console.WriteLine($"FAIL {type.Name}: {description}: {ex.InnerException}");
                }
            }
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
        Console.WriteLine(failures == 0 ? "smoke: all benchmark methods ran" : $"smoke: {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static void Invoke<TAttribute>(Type type, object instance)
        where TAttribute : Attribute
    {
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            method.Invoke(instance, null);
        }
    }
}
