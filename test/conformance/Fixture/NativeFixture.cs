using Instrumentation;

namespace Fixture;

/// <summary>
/// Native histograms with known observations, served on <c>/native</c> (always protobuf) so that a Prometheus started
/// with <c>--enable-feature=native-histograms</c> stores them as native histograms; <c>checks/check_native.py</c>
/// queries them back. Kept apart from <see cref="FixtureMetrics"/>: the other checks compare every classic sample.
/// </summary>
internal static class NativeFixture
{
    /// <summary>Observations of <c>conformance_native_seconds</c> (schema 3, default zero threshold): 0 is in the zero bucket.</summary>
    public static readonly double[] Observations = [0, 0.001, 0.01, 0.1, 0.1, 0.5, 1, 2, 2, 5];

    /// <summary>Observations of <c>conformance_native_halved_seconds{route="/x"}</c>: too many buckets for a limit of 3, so its schema is lowered.</summary>
    public static readonly double[] HalvedObservations = [0.01, 0.1, 1, 10, 100];

    public static Registry Create()
    {
        var registry = new Registry();
        var histogram = new Histogram(new HistogramOptions
        {
            Name = "conformance_native_seconds",
            Help = "A native histogram with known observations.",
            Buckets = [0.01, 0.1, 1],
            NativeHistogramBucketFactor = 1.1,
        });
        registry.MustRegister(histogram);
        foreach (var value in Observations)
        {
            histogram.Observe(value);
        }
        var halved = new HistogramVec(new HistogramOptions
        {
            Name = "conformance_native_halved_seconds",
            Help = "A native histogram whose resolution was halved.",
            NativeHistogramBucketFactor = 1.1,
            NativeHistogramMaxBucketNumber = 3,
        }, ["route"]);
        registry.MustRegister(halved);
        var child = halved.WithLabels("/x");
        foreach (var value in HalvedObservations)
        {
            child.Observe(value);
        }
        return registry;
    }
}
