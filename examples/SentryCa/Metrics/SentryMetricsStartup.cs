using Instrumentation;
using SentryCa.Ca;

namespace SentryCa.Metrics;

/// <summary>Creates Sentry's metrics at start-up rather than on first use.</summary>
public static class SentryMetricsStartup
{
    /// <summary>
    /// Resolves every Sentry metric and creates each known <c>reason</c> series at 0. Typed metrics register when first
    /// resolved, so without this a scrape before the first CSR would not show the counters at all, and
    /// <c>rate()</c>/<c>increase()</c> would miss the first increment of each series.
    /// </summary>
    public static void InitializeSentryMetrics(this IServiceProvider services)
    {
        services.GetRequiredService<ICounter<CertSignRequestsReceived>>();
        services.GetRequiredService<ICounter<CertSignSucceeded>>();
        services.GetRequiredService<ICounter<IssuerCertChanged>>();
        services.GetRequiredService<IGauge<IssuerCertExpiry>>();
        var signFailed = services.GetRequiredService<ICounter<CertSignFailed>>();
        foreach (var reason in SignFailureReason.All)
        {
            signFailed.WithLabels(reason);
        }
        var serverCertFailed = services.GetRequiredService<ICounter<ServerCertIssueFailed>>();
        serverCertFailed.WithLabels(ServerCertificateProvider.IssuerUnavailable);
        serverCertFailed.WithLabels(ServerCertificateProvider.CertSign);
    }
}
