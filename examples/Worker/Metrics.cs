using Instrumentation;

namespace Worker;

/// <summary>Jobs the worker finished, by outcome.</summary>
public sealed class JobsProcessed : ICounterDefinition
{
    public static string Name => "worker_jobs_processed_total";
    public static string Help => "Jobs the worker finished, by outcome.";
    public static IReadOnlyList<string> LabelNames => ["outcome"];
}

/// <summary>Jobs waiting in the queue.</summary>
public sealed class QueueDepth : IGaugeDefinition
{
    public static string Name => "worker_queue_depth";
    public static string Help => "Jobs waiting in the worker's queue.";
}

/// <summary>How long a job took.</summary>
public sealed class JobDuration : IHistogramDefinition
{
    public static string Name => "worker_job_duration_seconds";
    public static string Help => "How long the worker took per job.";
    public static IReadOnlyList<double>? Buckets => [0.001, 0.005, 0.01, 0.05, 0.1, 0.5];
}
