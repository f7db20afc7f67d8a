using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Instrumentation;
using Microsoft.Extensions.Options;
using SentryCa.Metrics;

namespace SentryCa.Ca;

/// <summary>
/// The service's own TLS server certificate, issued by its CA and handed to Kestrel through
/// <c>ServerCertificateSelector</c>. It is reissued when a third of its lifetime is left and whenever the issuer
/// changes; each failure to issue is counted in <c>sentry_servercert_issue_failed_total{reason}</c>.
/// </summary>
public sealed class ServerCertificateProvider : IDisposable
{
    /// <summary>Reason: no valid issuer is loaded.</summary>
    public const string IssuerUnavailable = "issuer_unavailable";

    /// <summary>Reason: signing the server certificate failed.</summary>
    public const string CertSign = "cert_sign";

    private readonly IssuerStore _store;
    private readonly CsrSigner _signer;
    private readonly ICounter<ServerCertIssueFailed> _failed;
    private readonly TimeProvider _time;
    private readonly ILogger<ServerCertificateProvider> _logger;
    private readonly SentryOptions _options;
    private readonly Lock _issueLock = new();
    private volatile X509Certificate2? _current;

    /// <summary>Creates the provider; the first certificate is issued on first use or by <see cref="ServerCertificateRenewal"/>.</summary>
    public ServerCertificateProvider(IssuerStore store, CsrSigner signer, IOptions<SentryOptions> options,
        ICounter<ServerCertIssueFailed> failed, TimeProvider time, ILogger<ServerCertificateProvider> logger)
    {
        _store = store;
        _signer = signer;
        _failed = failed;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _store.CredentialsChanged += () => TryIssue();
    }

    /// <summary>The last certificate issued, or null if none was.</summary>
    public X509Certificate2? Current => _current;

    /// <summary>
    /// For Kestrel's selector: the current certificate, reissued first if it is due. When reissuing fails, the old
    /// certificate is served while it is still valid; null (the handshake fails) once there is none.
    /// </summary>
    public X509Certificate2? GetCertificate()
    {
        var current = _current;
        if (current is not null && _time.GetUtcNow() < RenewalDue)
        {
            return current;
        }
        TryIssue(onlyIfDue: true);
        current = _current;
        return current is not null && new DateTimeOffset(current.NotAfter.ToUniversalTime()) > _time.GetUtcNow() ? current : null;
    }

    /// <summary>When the current certificate should be renewed (now, if there is none).</summary>
    public DateTimeOffset RenewalDue
    {
        get
        {
            var current = _current;
            if (current is null)
            {
                return _time.GetUtcNow();
            }
            var start = new DateTimeOffset(current.NotBefore.ToUniversalTime());
            var end = new DateTimeOffset(current.NotAfter.ToUniversalTime());
            return start + (end - start) * 2 / 3;
        }
    }

    /// <summary>Issues a new server certificate now; false (and counted) when that fails.</summary>
    /// <param name="onlyIfDue">
    /// Issue only if the current certificate is (still) due: handshakes that queued up behind one issuance then reuse
    /// its result instead of each issuing again.
    /// </param>
    public bool TryIssue(bool onlyIfDue = false)
    {
        lock (_issueLock)
        {
            if (onlyIfDue && _current is not null && _time.GetUtcNow() < RenewalDue)
            {
                return true;
            }
            var issuer = _store.Current;
            if (issuer is null)
            {
                return Fail(IssuerUnavailable, _store.LoadError ?? "no issuer loaded");
            }
            try
            {
                var names = _options.ServerNames.Length > 0 ? _options.ServerNames.Distinct().ToArray() : ["localhost"];
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest(new X500DistinguishedName("CN=" + names[0]), key, HashAlgorithmName.SHA256);
                using var issued = _signer.Issue(request.SubjectName, request.PublicKey,
                    new Uri($"spiffe://{_options.TrustDomain}/ns/sentry-system/sentry"),
                    TimeSpan.FromSeconds(_options.ServerCertTtlSeconds), issuer, names, serverAuthOnly: true);
                _current = issued.CopyWithPrivateKey(key);
                _logger.LogInformation("Issued server certificate, valid until {NotAfter:u}", issued.NotAfter.ToUniversalTime());
                return true;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException)
            {
                return Fail(CertSign, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _current?.Dispose();

    private bool Fail(string reason, string detail)
    {
        _failed.WithLabels(reason).Inc();
        _logger.LogError("Server certificate could not be issued ({Reason}): {Detail}", reason, detail);
        return false;
    }
}
