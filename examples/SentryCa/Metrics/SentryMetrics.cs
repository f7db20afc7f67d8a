using Instrumentation;

namespace SentryCa.Metrics;

// Dapr Sentry's six metrics (pkg/sentry/monitoring/metrics.go), declared once and injected where they are recorded
// as ICounter<T> / IGauge<T>. Names and meanings follow Sentry so dashboards written for it work here.

/// <summary><c>sentry_cert_sign_request_received_total</c>: every CSR received.</summary>
public sealed class CertSignRequestsReceived : ICounterDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_cert_sign_request_received_total";

    /// <inheritdoc />
    public static string Help => "The number of CSRs received.";
}

/// <summary><c>sentry_cert_sign_success_total</c>: certificates issued.</summary>
public sealed class CertSignSucceeded : ICounterDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_cert_sign_success_total";

    /// <inheritdoc />
    public static string Help => "The number of certificates issuances that have succeeded.";
}

/// <summary><c>sentry_cert_sign_failure_total{reason}</c>: signing failures by reason (see <see cref="Ca.SignFailureReason"/>).</summary>
public sealed class CertSignFailed : ICounterDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_cert_sign_failure_total";

    /// <inheritdoc />
    public static string Help => "The number of errors occurred when signing the CSR.";

    /// <inheritdoc />
    public static IReadOnlyList<string> LabelNames => ["reason"];
}

/// <summary><c>sentry_servercert_issue_failed_total{reason}</c>: the service's own TLS certificate could not be issued.</summary>
public sealed class ServerCertIssueFailed : ICounterDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_servercert_issue_failed_total";

    /// <inheritdoc />
    public static string Help => "The number of server TLS certificate issuance failures.";

    /// <inheritdoc />
    public static IReadOnlyList<string> LabelNames => ["reason"];
}

/// <summary><c>sentry_issuercert_changed_total</c>: changes of the issuer certificate or key on disk.</summary>
public sealed class IssuerCertChanged : ICounterDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_issuercert_changed_total";

    /// <inheritdoc />
    public static string Help => "The number of issuer cert updates, when issuer cert or key is changed";
}

/// <summary><c>sentry_issuercert_expiry_timestamp</c>: when the loaded issuer certificate expires, in Unix seconds.</summary>
public sealed class IssuerCertExpiry : IGaugeDefinition
{
    /// <inheritdoc />
    public static string Name => "sentry_issuercert_expiry_timestamp";

    /// <inheritdoc />
    public static string Help => "The unix timestamp, in seconds, when issuer/root cert will expire.";
}
