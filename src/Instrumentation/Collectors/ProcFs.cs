using System.Buffers;
using System.Buffers.Text;
using System.IO.Enumeration;

namespace Instrumentation.Collectors;

/// <summary>
/// Reads the Linux <c>/proc</c> files the process collector needs, without spawning anything: each file is read into
/// a pooled buffer and parsed as ASCII bytes, so a scrape allocates no strings.
/// </summary>
internal static class ProcFs
{
    /// <summary>
    /// Clock ticks per second of the times in <c>/proc/[pid]/stat</c>. The kernel always reports them in USER_HZ,
    /// which is 100 on every Linux architecture .NET runs on.
    /// </summary>
    public const double UserHz = 100;

    /// <summary>The value <c>/proc/self/limits</c> means by "unlimited" (RLIM_INFINITY), as a double.</summary>
    public const double Unlimited = ulong.MaxValue;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>The fields of <c>/proc/self/stat</c> the collector reports.</summary>
    public readonly record struct Stat(double UserTicks, double SystemTicks, double VirtualBytes, double ResidentPages);

    /// <summary>The soft limits of <c>/proc/self/limits</c> the collector reports; null when a line is missing.</summary>
    public readonly record struct Limits(double? MaxOpenFiles, double? MaxAddressSpace);

    /// <summary>Reads <paramref name="path"/> and parses it with <paramref name="parse"/>; default when it cannot be read.</summary>
    public static T? Read<T>(string path, Func<ReadOnlySpan<byte>, T?> parse)
        where T : struct
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                // /proc files report a size of 0: read until the kernel says there is no more.
                var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            return parse(buffer.AsSpan(0, length));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Parses <c>/proc/[pid]/stat</c>. The second field, the command name in parentheses, may itself hold spaces and
    /// parentheses, so the fields are counted from the last <c>)</c>.
    /// </summary>
    public static Stat? ParseStat(ReadOnlySpan<byte> text)
    {
        var close = text.LastIndexOf((byte)')');
        if (close < 0)
        {
            return null;
        }
        // Field numbers as in proc(5): field 3 (state) is the first after the parenthesis.
        const int UTime = 14, STime = 15, VSize = 23, Rss = 24;
        var rest = text[(close + 1)..];
        double utime = 0, stime = 0, vsize = 0, rss = 0;
        var field = 2;
        var found = 0;
        while (!rest.IsEmpty && field < Rss)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[end..];
            field++;
            if (field is UTime or STime or VSize or Rss)
            {
                if (!Utf8Parser.TryParse(token, out long value, out var consumed) || consumed != token.Length)
                {
                    return null;
                }
                switch (field)
                {
                    case UTime: utime = value; break;
                    case STime: stime = value; break;
                    case VSize: vsize = value; break;
                    default: rss = value; break;
                }
                found++;
            }
        }
        return found == 4 ? new Stat(utime, stime, vsize, rss) : null;
    }

    /// <summary>Parses the soft limits of open files and address space from <c>/proc/[pid]/limits</c>.</summary>
    public static Limits? ParseLimits(ReadOnlySpan<byte> text)
    {
        double? files = null, addressSpace = null;
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if (line.StartsWith("Max open files"u8))
            {
                files = SoftLimit(line["Max open files".Length..]);
            }
            else if (line.StartsWith("Max address space"u8))
            {
                addressSpace = SoftLimit(line["Max address space".Length..]);
            }
        }
        return new Limits(files, addressSpace);
    }

    private static double? SoftLimit(ReadOnlySpan<byte> columns)
    {
        columns = columns.TrimStart((byte)' ');
        var end = columns.IndexOf((byte)' ');
        var token = end < 0 ? columns : columns[..end];
        if (token.SequenceEqual("unlimited"u8))
        {
            return Unlimited;
        }
        return Utf8Parser.TryParse(token, out ulong value, out var consumed) && consumed == token.Length ? value : null;
    }

    /// <summary>
    /// Sums the received and transmitted bytes of every interface in <c>/proc/[pid]/net/dev</c> (the process's network
    /// namespace). After the two header lines, each line is <c>name: rx_bytes rx_packets … (8 receive fields) tx_bytes …</c>.
    /// </summary>
    public static (double Received, double Transmitted)? ParseNetDev(ReadOnlySpan<byte> text)
    {
        double received = 0, transmitted = 0;
        var any = false;
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue; // a header line
            }
            var rest = line[(colon + 1)..];
            for (var field = 0; field <= 8 && !rest.IsEmpty; field++)
            {
                rest = rest.TrimStart((byte)' ');
                var end = rest.IndexOf((byte)' ');
                var token = end < 0 ? rest : rest[..end];
                rest = end < 0 ? default : rest[end..];
                if (field is 0 or 8)
                {
                    if (!Utf8Parser.TryParse(token, out ulong value, out _))
                    {
                        return null;
                    }
                    if (field == 0)
                    {
                        received += value;
                    }
                    else
                    {
                        transmitted += value;
                        any = true;
                    }
                }
            }
        }
        return any ? (received, transmitted) : null;
    }

    // Nothing under /proc is hidden or a system file: skip nothing.
    private static readonly EnumerationOptions ProcEnumeration = new() { IgnoreInaccessible = false, RecurseSubdirectories = false, AttributesToSkip = 0 };

    /// <summary>
    /// Counts the open file descriptors. Since Linux 6.2 the size of the <c>/proc/self/fd</c> directory is that count:
    /// one <c>stat</c>, read through the enumeration of <c>/proc/self</c> (the BCL exposes a directory's size nowhere
    /// else). Older kernels report 0 there; then the entries of <c>/proc/self/fdinfo</c> are counted — regular files,
    /// unlike the symbolic links in <c>/proc/self/fd</c>, which the enumerator would <c>stat</c> one by one. Either way
    /// the descriptor of the directory being read is counted too, as in the reference client.
    /// </summary>
    public static double? CountOpenFds()
    {
        try
        {
            var fdDirectory = new FileSystemEnumerable<long>("/proc/self", static (ref FileSystemEntry entry) => entry.Length, ProcEnumeration)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.FileName.SequenceEqual("fd"),
            };
            foreach (var size in fdDirectory)
            {
                if (size > 0)
                {
                    return size;
                }
            }
            var count = 0;
            foreach (var _ in new FileSystemEnumerable<bool>("/proc/self/fdinfo", static (ref FileSystemEntry _) => true, ProcEnumeration))
            {
                count++;
            }
            return count;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
