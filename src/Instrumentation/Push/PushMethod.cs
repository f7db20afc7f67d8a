namespace Instrumentation.Push;

/// <summary>How pushed metrics are combined with what the Pushgateway already holds for the group.</summary>
public enum PushMethod
{
    /// <summary>
    /// <c>PUT</c>: replace every metric of the group with the pushed ones. Use it when one push carries the job's whole state.
    /// </summary>
    Push,

    /// <summary>
    /// <c>POST</c>: replace only the metrics with the same names as the pushed ones, keep the rest of the group.
    /// </summary>
    Add,
}
