namespace SentryCa.Ca;

/// <summary>The <c>Sentry</c> configuration section.</summary>
public sealed class SentryOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sentry";

    /// <summary>
    /// Directory holding <c>ca.crt</c>, <c>issuer.crt</c> and <c>issuer.key</c> (PEM). Relative paths are resolved
    /// against the content root. Created, with a new self-signed root and issuer, when it holds none of the three.
    /// </summary>
    public string CredentialsDirectory { get; set; } = "credentials";

    /// <summary>The SPIFFE trust domain whose identities this CA signs for.</summary>
    public string TrustDomain { get; set; } = "cluster.local";

    /// <summary>The longest workload certificate lifetime granted; a longer requested TTL is cut to this.</summary>
    public int MaxTtlSeconds { get; set; } = 24 * 3600;

    /// <summary>Lifetime of the service's own TLS server certificate; it is renewed when a third of it is left.</summary>
    public int ServerCertTtlSeconds { get; set; } = 24 * 3600;

    /// <summary>DNS names the server certificate is issued for (besides 127.0.0.1 and ::1); none means <c>localhost</c>.</summary>
    public string[] ServerNames { get; set; } = [];

    /// <summary>How long the credentials directory must be quiet after a change before the issuer is reloaded.</summary>
    public int ReloadDebounceMilliseconds { get; set; } = 500;

    /// <summary>
    /// How often the credential files are also compared by content, for file systems whose change notifications
    /// are missing or unreliable (network mounts, some container volumes).
    /// </summary>
    public int PollIntervalMilliseconds { get; set; } = 5000;

    /// <summary>Lifetime of a self-signed root created on first run.</summary>
    public int BootstrapRootTtlDays { get; set; } = 3650;

    /// <summary>Lifetime of an issuer created on first run.</summary>
    public int BootstrapIssuerTtlDays { get; set; } = 365;
}
