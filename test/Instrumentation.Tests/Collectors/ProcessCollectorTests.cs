using System.Security.Cryptography;
using Instrumentation.Collectors;
using static Instrumentation.Tests.Collectors.CollectorTestHelpers;

namespace Instrumentation.Tests.Collectors;

public class ProcessCollectorTests
{
    [Fact]
    public void Gather_reports_the_standard_process_metrics_with_sane_values()
    {
        var families = Gather(new ProcessCollector());

        Assert.Equal(MetricType.Counter, families.Family("process_cpu_seconds_total").Type);
        Assert.True(families.Value("process_cpu_seconds_total") > 0);
        var resident = families.Value("process_resident_memory_bytes");
        Assert.True(resident > 1024 * 1024, $"resident {resident}");
        Assert.True(families.Value("process_virtual_memory_bytes") >= resident);
        var start = families.Value("process_start_time_seconds");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(start, now - 86400, now + 1);
        Assert.Equal("seconds", families.Family("process_cpu_seconds_total").Unit);

        if (OperatingSystem.IsLinux())
        {
            var open = families.Value("process_open_fds");
            Assert.True(open >= 3, $"open fds {open}");
            Assert.True(families.Value("process_max_fds") >= open);
            Assert.True(families.Value("process_virtual_memory_max_bytes") > 0);
            Assert.True(families.Value("process_network_receive_bytes_total") >= 0);
            Assert.Equal(MetricType.Counter, families.Family("process_network_transmit_bytes_total").Type);
        }
    }

    [Fact]
    public void Cpu_seconds_grow_after_work()
    {
        var collector = new ProcessCollector();
        var before = Gather(collector).Value("process_cpu_seconds_total");
        var after = before;
        var data = new byte[64 * 1024];
        // Work until the kernel's tick-granular accounting moves; bounded so a broken collector fails rather than hangs.
        for (var round = 0; round < 2000 && after <= before; round++)
        {
            for (var i = 0; i < 20; i++)
            {
                data[0] = SHA256.HashData(data)[0];
            }
            after = Gather(collector).Value("process_cpu_seconds_total");
        }
        Assert.True(after > before, $"CPU seconds stayed at {before}");
    }

    [Fact]
    public void Opening_files_raises_open_fds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            Assert.Null(Gather(new ProcessCollector()).FindFamily("process_open_fds")); // macOS does not tell
            return;
        }
        var collector = new ProcessCollector();
        var path = Path.GetTempFileName();
        var streams = new List<FileStream>();
        try
        {
            var before = Gather(collector).Value("process_open_fds");
            for (var i = 0; i < 100; i++)
            {
                streams.Add(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            }
            var after = Gather(collector).Value("process_open_fds");
            // Other tests may close a few descriptors meanwhile: ask for most of the 100, not all.
            Assert.True(after - before >= 90, $"open fds went from {before} to {after}");
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
            File.Delete(path);
        }
    }

    [Fact]
    public void Namespace_prefixes_every_name()
    {
        var collector = new ProcessCollector(new ProcessCollectorOptions { Namespace = "shop" });

        Assert.All(collector.Describe(), d => Assert.StartsWith("shop_process_", d.FqName));
        Assert.True(Gather(collector).Value("shop_process_cpu_seconds_total") > 0);
    }

    [Fact]
    public void Describe_covers_everything_collected()
    {
        var collector = new ProcessCollector();
        var described = collector.Describe().Select(d => d.FqName).ToHashSet();

        Assert.All(collector.Collect(), m => Assert.Contains(m.Desc.FqName, described));
        Assert.All(collector.Describe(), d => Assert.Null(d.Error));
    }

    [Fact]
    public void ParseStat_counts_fields_from_the_last_parenthesis()
    {
        var stat = "4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 27000 0 12 0 250 75 0 0 20 0 31 0 8000 2147483648 5000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0\n"u8;

        var parsed = ProcFs.ParseStat(stat);

        Assert.Equal(new ProcFs.Stat(250, 75, 2147483648, 5000), parsed);
    }

    [Fact]
    public void ParseStat_of_garbage_is_null()
    {
        Assert.Null(ProcFs.ParseStat("no parenthesis here"u8));
        Assert.Null(ProcFs.ParseStat("1 (x) S 1 2"u8));
    }

    [Fact]
    public void ParseLimits_reads_soft_limits_and_unlimited()
    {
        var limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            Max address space         unlimited            unlimited            bytes

            """u8;

        var parsed = ProcFs.ParseLimits(limits);

        Assert.Equal(1024, parsed!.Value.MaxOpenFiles);
        Assert.Equal(18446744073709551615d, parsed.Value.MaxAddressSpace);
    }

    [Fact]
    public void ParseNetDev_sums_received_and_transmitted_bytes_of_all_interfaces()
    {
        var dev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
              eth0: 123456789  100000    0    0    0     0          0         0  9876543   50000    0    0    0     0       0          0

            """u8;

        var parsed = ProcFs.ParseNetDev(dev);

        Assert.Equal((123457789d, 9877543d), parsed);
    }
}
