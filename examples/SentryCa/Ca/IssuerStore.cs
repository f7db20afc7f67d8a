using System.Security.Cryptography;
using Instrumentation;
using Microsoft.Extensions.Options;
using SentryCa.Metrics;

namespace SentryCa.Ca;

/// <summary>
/// Holds the issuer the CA signs with, loaded from the credentials directory, and reloads it when the files change.
/// Creates a self-signed root and issuer there on first run. Records <c>sentry_issuercert_changed_total</c> and
/// <c>sentry_issuercert_expiry_timestamp</c>.
/// </summary>
/// <remarks>
/// A reload that fails (a truncated or mismatched file) leaves no issuer loaded: the CA stops signing — workload
/// requests fail with <c>cert_sign</c>, server certificate renewals are counted as failed — until the files are
/// fixed. Signing on with credentials the operator has just replaced would be worse than refusing.
/// </remarks>
public sealed class IssuerStore
{
    private readonly IGauge<IssuerCertExpiry> _expiry;
    private readonly ICounter<IssuerCertChanged> _changed;
    private readonly ILogger<IssuerStore> _logger;
    private readonly Lock _reloadLock = new();
    private volatile IssuerCredentials? _current;
    private volatile string? _loadError;
    private string _issuerFingerprint;
    private string _rootFingerprint;

    /// <summary>Loads the credentials (creating them on first run).</summary>
    /// <exception cref="InvalidDataException">The credential files are incomplete or invalid at start.</exception>
    public IssuerStore(IOptions<SentryOptions> options, IHostEnvironment environment, IGauge<IssuerCertExpiry> expiry,
        ICounter<IssuerCertChanged> changed, ILogger<IssuerStore> logger)
    {
        var settings = options.Value;
        _expiry = expiry;
        _changed = changed;
        _logger = logger;
        Files = new CredentialFiles(Path.IsPathRooted(settings.CredentialsDirectory)
            ? settings.CredentialsDirectory
            : Path.Combine(environment.ContentRootPath, settings.CredentialsDirectory));

        CreateOnFirstRun(settings);
        _issuerFingerprint = Fingerprint(Files.IssuerCertPath, Files.IssuerKeyPath);
        _rootFingerprint = Fingerprint(Files.RootCertPath);
        var credentials = IssuerCredentials.Load(Files);
        _current = credentials;
        _expiry.Set(credentials.IssuerExpiryUnixSeconds);
        _logger.LogInformation("Loaded issuer {Subject} from {Directory}, expires {Expiry:u}",
            credentials.Issuer.Subject, Files.Directory, credentials.Issuer.NotAfter.ToUniversalTime());
    }

    /// <summary>The credential files.</summary>
    public CredentialFiles Files { get; }

    /// <summary>The loaded issuer, or null when the last reload failed (see <see cref="LoadError"/>).</summary>
    public IssuerCredentials? Current => _current;

    /// <summary>Why the last reload failed, or null when the issuer is loaded.</summary>
    public string? LoadError => _loadError;

    /// <summary>Raised after every reload attempt, successful or not (the server certificate is reissued on it).</summary>
    public event Action? CredentialsChanged;

    /// <summary>
    /// Compares the credential files with what was last loaded and reloads when any changed. A change of
    /// <c>issuer.crt</c> or <c>issuer.key</c> is counted in <c>sentry_issuercert_changed_total</c> whether or not the
    /// new files load. Returns whether anything changed.
    /// </summary>
    public bool ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            string issuerFingerprint, rootFingerprint;
            try
            {
                issuerFingerprint = Fingerprint(Files.IssuerCertPath, Files.IssuerKeyPath);
                rootFingerprint = Fingerprint(Files.RootCertPath);
            }
            catch (IOException e)
            {
                // Mid-replacement; the next notification or poll tries again.
                _logger.LogDebug(e, "Credential files not readable yet");
                return false;
            }
            var issuerChanged = issuerFingerprint != _issuerFingerprint;
            if (!issuerChanged && rootFingerprint == _rootFingerprint)
            {
                return false;
            }
            _issuerFingerprint = issuerFingerprint;
            _rootFingerprint = rootFingerprint;
            Reload();
            // Counted after the reload, so whoever sees the counter move also sees the new issuer (or its absence).
            if (issuerChanged)
            {
                _changed.Inc();
            }
        }
        CredentialsChanged?.Invoke();
        return true;
    }

    private void Reload()
    {
        try
        {
            var credentials = IssuerCredentials.Load(Files);
            _current = credentials;
            _loadError = null;
            _expiry.Set(credentials.IssuerExpiryUnixSeconds);
            _logger.LogInformation("Reloaded issuer {Subject}, expires {Expiry:u}",
                credentials.Issuer.Subject, credentials.Issuer.NotAfter.ToUniversalTime());
        }
        catch (InvalidDataException e)
        {
            // The previous credentials are not disposed: a request may still be signing with them.
            _current = null;
            _loadError = e.Message;
            _logger.LogError("Issuer reload failed, signing is stopped until the files are fixed: {Error}", e.Message);
        }
    }

    private void CreateOnFirstRun(SentryOptions settings)
    {
        var present = Files.All.Where(File.Exists).ToList();
        if (present.Count == 3)
        {
            return;
        }
        if (present.Count > 0)
        {
            var missing = Files.All.Except(present);
            throw new InvalidDataException(
                $"The credentials directory {Files.Directory} is incomplete: {string.Join(", ", missing)} missing. " +
                "Provide all of ca.crt, issuer.crt and issuer.key, or none to have a self-signed set created.");
        }
        Files.Write(SelfSignedCa.Create(settings.TrustDomain,
            TimeSpan.FromDays(settings.BootstrapRootTtlDays), TimeSpan.FromDays(settings.BootstrapIssuerTtlDays)));
        _logger.LogWarning("No credentials in {Directory}: created a self-signed root and issuer", Files.Directory);
    }

    private static string Fingerprint(params string[] paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            hash.AppendData(File.Exists(path) ? File.ReadAllBytes(path) : []);
            hash.AppendData([0]);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
