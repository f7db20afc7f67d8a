using System.Runtime;
using System.Runtime.ExceptionServices;

namespace Instrumentation.Collectors;

/// <summary>
/// Reports the health of the .NET runtime under the <c>dotnet_</c> prefix: garbage collections and heap sizes,
/// allocation, GC pauses, the thread pool, lock contention, exceptions, the JIT, loaded assemblies and timers.
/// </summary>
/// <remarks>
/// Every value is read at scrape time from a runtime API (<see cref="GC"/>, <see cref="ThreadPool"/>,
/// <see cref="Monitor"/>, <see cref="System.Runtime.JitInfo"/>, <see cref="Timer"/>, <see cref="AppDomain"/>); none
/// needs an event listener. The one exception is the exception count: the runtime keeps none, so the collector counts
/// first-chance exceptions itself from the moment it is constructed until it is disposed.
/// <para>
/// The names deliberately differ from those the runtime's own <c>System.Runtime</c> meter gets through
/// <see cref="MeterCollector"/> (<c>dotnet_gc_collections_total</c>, …), so that both can be exposed side by side.
/// Checked collector: <see cref="Describe"/> yields every metric it may produce.
/// </para>
/// </remarks>
public sealed class RuntimeCollector : ICollector, IDisposable
{
    private static readonly string[] HeapNames = ["gen0", "gen1", "gen2", "loh", "poh"];

    private readonly Desc _collections = new("dotnet_gc_collection_count_total",
        "Garbage collections of the generation since the process started (a collection of a generation also collects the younger ones and counts for them too).",
        ["generation"], null);
    private readonly Desc _heapSize = new("dotnet_gc_heap_size_bytes", "Size of the generation's heap after the last garbage collection, in bytes.", ["generation"], null, "bytes");
    private readonly Desc _allocated = new("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", null, null, "bytes");
    private readonly Desc _committed = new("dotnet_gc_committed_bytes", "Memory committed by the garbage collector at the last collection, in bytes.", null, null, "bytes");
    private readonly Desc _fragmented = new("dotnet_gc_fragmented_bytes", "Free space between objects on the managed heap at the last collection, in bytes.", null, null, "bytes");
    private readonly Desc _available = new("dotnet_gc_available_memory_bytes", "Memory the garbage collector may use (the machine's or the container's limit), in bytes.", null, null, "bytes");
    private readonly Desc _pause = new("dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection since the process started, in seconds.", null, null, "seconds");
    private readonly Desc _threads = new("dotnet_threadpool_threads", "Thread-pool threads that currently exist.", null, null);
    private readonly Desc _queue = new("dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", null, null);
    private readonly Desc _completed = new("dotnet_threadpool_completed_items_total", "Work items the thread pool has completed since the process started.", null, null);
    private readonly Desc _contentions = new("dotnet_lock_contentions_total", "Times a thread waited for a contended Monitor lock since the process started.", null, null);
    private readonly Desc _exceptions = new("dotnet_exceptions_thrown_total", "Exceptions thrown (first-chance, caught or not) since the runtime collector was created.", null, null);
    private readonly Desc _jitMethods = new("dotnet_jit_methods_compiled_total", "Methods the JIT compiler has compiled since the process started.", null, null);
    private readonly Desc _jitBytes = new("dotnet_jit_il_compiled_bytes_total", "Bytes of IL the JIT compiler has compiled since the process started.", null, null, "bytes");
    private readonly Desc _jitTime = new("dotnet_jit_compilation_seconds_total", "Time spent in the JIT compiler since the process started, in seconds.", null, null, "seconds");
    private readonly Desc _assemblies = new("dotnet_assemblies_loaded", "Assemblies currently loaded into the process.", null, null);
    private readonly Desc _timers = new("dotnet_timers_active", "Timers currently scheduled.", null, null);

    private readonly LabelSet[] _generationLabels;
    private readonly LabelSet[] _heapLabels;
    private long _exceptionCount;
    private int _disposed;

    /// <summary>Creates the collector and starts counting first-chance exceptions.</summary>
    public RuntimeCollector()
    {
        _generationLabels = new LabelSet[GC.MaxGeneration + 1];
        for (var i = 0; i < _generationLabels.Length; i++)
        {
            _generationLabels[i] = new LabelSet([new LabelPair("generation", "gen" + i)]);
        }
        _heapLabels = Array.ConvertAll(HeapNames, static name => new LabelSet([new LabelPair("generation", name)]));
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() =>
    [
        _collections, _heapSize, _allocated, _committed, _fragmented, _available, _pause, _threads, _queue, _completed,
        _contentions, _exceptions, _jitMethods, _jitBytes, _jitTime, _assemblies, _timers,
    ];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect()
    {
        var samples = new List<IMetric>(32);
        for (var generation = 0; generation < _generationLabels.Length; generation++)
        {
            samples.Add(new Sample(_collections, MetricType.Counter, _generationLabels[generation], GC.CollectionCount(generation)));
        }

        var info = GC.GetGCMemoryInfo();
        var generations = info.GenerationInfo;
        for (var i = 0; i < generations.Length && i < _heapLabels.Length; i++)
        {
            samples.Add(new Sample(_heapSize, MetricType.Gauge, _heapLabels[i], generations[i].SizeAfterBytes));
        }
        samples.Add(Sample.Counter(_allocated, GC.GetTotalAllocatedBytes(precise: false)));
        samples.Add(Sample.Gauge(_committed, info.TotalCommittedBytes));
        samples.Add(Sample.Gauge(_fragmented, info.FragmentedBytes));
        samples.Add(Sample.Gauge(_available, info.TotalAvailableMemoryBytes));
        samples.Add(Sample.Counter(_pause, GC.GetTotalPauseDuration().TotalSeconds));

        samples.Add(Sample.Gauge(_threads, ThreadPool.ThreadCount));
        samples.Add(Sample.Gauge(_queue, ThreadPool.PendingWorkItemCount));
        samples.Add(Sample.Counter(_completed, ThreadPool.CompletedWorkItemCount));
        samples.Add(Sample.Counter(_contentions, Monitor.LockContentionCount));
        samples.Add(Sample.Counter(_exceptions, Interlocked.Read(ref _exceptionCount)));

        samples.Add(Sample.Counter(_jitMethods, JitInfo.GetCompiledMethodCount()));
        samples.Add(Sample.Counter(_jitBytes, JitInfo.GetCompiledILBytes()));
        samples.Add(Sample.Counter(_jitTime, JitInfo.GetCompilationTime().TotalSeconds));

        samples.Add(Sample.Gauge(_assemblies, AppDomain.CurrentDomain.GetAssemblies().Length));
        samples.Add(Sample.Gauge(_timers, Timer.ActiveCount));
        return samples;
    }

    /// <summary>Stops counting first-chance exceptions. The collector still collects; the count stays where it was.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
        }
    }

    private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref _exceptionCount);
}
