namespace Instrumentation;

/// <summary>Wall-clock helpers shared by the metric types.</summary>
internal static class Clock
{
    /// <summary>Now, in seconds since the Unix epoch, with millisecond resolution or better.</summary>
    public static double UnixSeconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
