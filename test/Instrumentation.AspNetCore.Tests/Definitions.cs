namespace Instrumentation.AspNetCore.Tests;

public sealed class RequestsServed : ICounterDefinition
{
    public static string Name => "test_requests_served_total";
    public static string Help => "Requests served.";
}

public sealed class JobsByQueue : ICounterDefinition
{
    public static string Name => "test_jobs_total";
    public static string Help => "Jobs, by queue.";
    public static IReadOnlyList<string> LabelNames => ["queue"];
}

public sealed class QueueLength : IGaugeDefinition
{
    public static string Name => "test_queue_length";
    public static string Help => "Items waiting.";
}

public sealed class PayloadSize : IHistogramDefinition
{
    public static string Name => "test_payload_bytes";
    public static string Help => "Payload sizes.";
    public static string? Unit => "bytes";
    public static IReadOnlyList<double>? Buckets => [100, 1000, 10000];
}

/// <summary>Same name as <see cref="DuplicateB"/> with a different help text.</summary>
public sealed class DuplicateA : ICounterDefinition
{
    public static string Name => "test_duplicate_total";
    public static string Help => "First meaning.";
}

/// <summary>Same name as <see cref="DuplicateA"/> with a different help text.</summary>
public sealed class DuplicateB : ICounterDefinition
{
    public static string Name => "test_duplicate_total";
    public static string Help => "Second meaning.";
}

public sealed class BadName : ICounterDefinition
{
    public static string Name => "test-bad-name";
    public static string Help => "Has a dash.";
}

public sealed class NoHelp : IGaugeDefinition
{
    public static string Name => "test_no_help";
    public static string Help => "";
}

public sealed class DuplicateLabel : ICounterDefinition
{
    public static string Name => "test_dup_label_total";
    public static string Help => "Declares a label twice.";
    public static IReadOnlyList<string> LabelNames => ["a", "a"];
}

public sealed class BadBuckets : IHistogramDefinition
{
    public static string Name => "test_bad_buckets";
    public static string Help => "Buckets out of order.";
    public static IReadOnlyList<double>? Buckets => [1, 0.5];
}

public sealed class CheckoutLatency : ISummaryDefinition
{
    public static string Name => "test_checkout_latency_seconds";
    public static string Help => "Checkout latency.";
    public static IReadOnlyList<string> LabelNames => ["step"];
    public static IReadOnlyDictionary<double, double>? Objectives => new Dictionary<double, double> { [0.5] = 0.05, [0.99] = 0.001 };
}

public sealed class BadObjectives : ISummaryDefinition
{
    public static string Name => "test_bad_objectives";
    public static string Help => "A rank above 1.";
    public static IReadOnlyDictionary<double, double>? Objectives => new Dictionary<double, double> { [1.5] = 0.01 };
}

public sealed class LoginsByUser : ICounterDefinition
{
    public static string Name => "test_logins_total";
    public static string Help => "Logins, by user (capped).";
    public static IReadOnlyList<string> LabelNames => ["user"];
    public static int? MaxSeries => 2;
    public static TimeSpan? ExpireAfter => TimeSpan.FromHours(1);
}

public sealed class NeverExpiring : ICounterDefinition
{
    public static string Name => "test_never_total";
    public static string Help => "A definition with an invalid expiry.";
    public static IReadOnlyList<string> LabelNames => ["k"];
    public static TimeSpan? ExpireAfter => TimeSpan.Zero;
}

public sealed class LookupLatency : IHistogramDefinition
{
    public static string Name => "test_lookup_duration_seconds";
    public static string Help => "Lookup latency, with native buckets.";
    public static double NativeHistogramBucketFactor => 1.1;
    public static int NativeHistogramMaxBucketNumber => 100;
}
