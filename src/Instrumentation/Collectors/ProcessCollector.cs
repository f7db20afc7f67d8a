using System.Diagnostics;

namespace Instrumentation.Collectors;

/// <summary>
/// Reports the health of the current process under the names every Prometheus dashboard expects
/// (<c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>, <c>process_open_fds</c>, …), with the
/// meaning the reference Go client gives them.
/// </summary>
/// <remarks>
/// On Linux the values come straight from <c>/proc/self/stat</c>, <c>/proc/self/fd</c>, <c>/proc/self/limits</c> and
/// <c>/proc/self/net/dev</c>, read into pooled buffers and parsed without strings. Elsewhere they come from
/// <see cref="Process"/>; a value the operating system does not tell (file descriptors on macOS, network bytes
/// outside Linux) is left out rather than reported as zero. A value that cannot be read at one scrape is left out of
/// that scrape. Checked collector: <see cref="Describe"/> yields every metric it may produce.
/// </remarks>
public sealed class ProcessCollector : ICollector
{
    private readonly Desc _cpu;
    private readonly Desc _resident;
    private readonly Desc _virtual;
    private readonly Desc _virtualMax;
    private readonly Desc _openFds;
    private readonly Desc _maxFds;
    private readonly Desc _startTime;
    private readonly Desc _received;
    private readonly Desc _transmitted;
    private readonly double? _startTimeSeconds;
    private readonly Process? _process;
    private readonly Lock _processLock = new();

    /// <summary>Creates a collector with the standard metric names.</summary>
    public ProcessCollector()
        : this(new ProcessCollectorOptions())
    {
    }

    /// <summary>Creates a collector whose metric names carry <see cref="ProcessCollectorOptions.Namespace"/> as a prefix.</summary>
    public ProcessCollector(ProcessCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(options.Namespace) ? "process_" : options.Namespace + "_process_";
        _cpu = new Desc(prefix + "cpu_seconds_total", "Total CPU time the process has spent in user and system mode, in seconds.", null, null, "seconds");
        _resident = new Desc(prefix + "resident_memory_bytes", "Resident set size: physical memory the process occupies, in bytes.", null, null, "bytes");
        _virtual = new Desc(prefix + "virtual_memory_bytes", "Size of the process's virtual address space, in bytes.", null, null, "bytes");
        _virtualMax = new Desc(prefix + "virtual_memory_max_bytes", "Largest virtual address space the process may have (its address-space limit), in bytes.", null, null, "bytes");
        _openFds = new Desc(prefix + "open_fds", "Number of file descriptors the process has open.", null, null);
        _maxFds = new Desc(prefix + "max_fds", "Most file descriptors the process may have open (its soft limit).", null, null);
        _startTime = new Desc(prefix + "start_time_seconds", "When the process started, in seconds since the Unix epoch.", null, null, "seconds");
        _received = new Desc(prefix + "network_receive_bytes_total", "Bytes received over the network by the process's network namespace.", null, null, "bytes");
        _transmitted = new Desc(prefix + "network_transmit_bytes_total", "Bytes sent over the network by the process's network namespace.", null, null, "bytes");

        try
        {
            // The start time never changes: read it once. Process.StartTime derives it from the boot time on Linux.
            using var current = Process.GetCurrentProcess();
            _startTimeSeconds = new DateTimeOffset(current.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            _startTimeSeconds = null;
        }
        if (!ProcFs.IsAvailable)
        {
            _process = Process.GetCurrentProcess();
        }
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() =>
        [_cpu, _resident, _virtual, _virtualMax, _openFds, _maxFds, _startTime, _received, _transmitted];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect()
    {
        var samples = new List<IMetric>(9);
        if (ProcFs.IsAvailable)
        {
            CollectLinux(samples);
        }
        else
        {
            CollectPortable(samples);
        }
        if (_startTimeSeconds is { } start)
        {
            samples.Add(Sample.Gauge(_startTime, start));
        }
        return samples;
    }

    private void CollectLinux(List<IMetric> samples)
    {
        if (ProcFs.Read("/proc/self/stat", ProcFs.ParseStat) is { } stat)
        {
            samples.Add(Sample.Counter(_cpu, (stat.UserTicks + stat.SystemTicks) / ProcFs.UserHz));
            samples.Add(Sample.Gauge(_virtual, stat.VirtualBytes));
            samples.Add(Sample.Gauge(_resident, stat.ResidentPages * Environment.SystemPageSize));
        }
        if (ProcFs.CountOpenFds() is { } open)
        {
            samples.Add(Sample.Gauge(_openFds, open));
        }
        if (ProcFs.Read("/proc/self/limits", ProcFs.ParseLimits) is { } limits)
        {
            if (limits.MaxOpenFiles is { } maxFiles)
            {
                samples.Add(Sample.Gauge(_maxFds, maxFiles));
            }
            if (limits.MaxAddressSpace is { } maxAddress)
            {
                samples.Add(Sample.Gauge(_virtualMax, maxAddress));
            }
        }
        if (ProcFs.Read("/proc/self/net/dev", ProcFs.ParseNetDev) is { } net)
        {
            samples.Add(Sample.Counter(_received, net.Received));
            samples.Add(Sample.Counter(_transmitted, net.Transmitted));
        }
    }

    private void CollectPortable(List<IMetric> samples)
    {
        var process = _process!;
        lock (_processLock)
        {
            // Refresh drops the cached values; the properties then read fresh ones. Serialised because Process is
            // not thread-safe and scrapes may run concurrently.
            process.Refresh();
            samples.Add(Sample.Counter(_cpu, process.TotalProcessorTime.TotalSeconds));
            samples.Add(Sample.Gauge(_resident, process.WorkingSet64));
            samples.Add(Sample.Gauge(_virtual, process.VirtualMemorySize64));
            if (OperatingSystem.IsWindows())
            {
                // Windows has handles rather than descriptors; the reference client reports them as open fds.
                samples.Add(Sample.Gauge(_openFds, process.HandleCount));
            }
        }
    }
}
