using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SentryCa.Ca;

/// <summary>
/// A loaded, checked credential set: the issuer certificate with its private key and the trust root it chains to.
/// </summary>
public sealed class IssuerCredentials : IDisposable
{
    private IssuerCredentials(X509Certificate2 issuer, X509Certificate2 root, string issuerPem, string rootPem)
    {
        Issuer = issuer;
        Root = root;
        IssuerPem = issuerPem;
        RootPem = rootPem;
    }

    /// <summary>The issuer certificate, with its private key.</summary>
    public X509Certificate2 Issuer { get; }

    /// <summary>The trust root (<c>ca.crt</c>).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuer certificate as PEM, as it goes into every returned chain.</summary>
    public string IssuerPem { get; }

    /// <summary>The trust root as PEM.</summary>
    public string RootPem { get; }

    /// <summary>When the issuer expires, in Unix seconds.</summary>
    public long IssuerExpiryUnixSeconds => new DateTimeOffset(Issuer.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();

    /// <summary>
    /// Loads and checks the credential files: each parses, the key belongs to the issuer certificate, the issuer is a
    /// CA, and it chains to the root and is valid now.
    /// </summary>
    /// <exception cref="InvalidDataException">A check failed; the message names the file and what is wrong.</exception>
    public static IssuerCredentials Load(CredentialFiles files)
    {
        var rootPem = Read(files.RootCertPath);
        var issuerPem = Read(files.IssuerCertPath);
        var keyPem = Read(files.IssuerKeyPath);

        var root = Parse(files.RootCertPath, () => X509Certificate2.CreateFromPem(rootPem));
        var issuerPublic = Parse(files.IssuerCertPath, () => X509Certificate2.CreateFromPem(issuerPem));
        X509Certificate2 issuer;
        try
        {
            issuer = X509Certificate2.CreateFromPem(issuerPem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException(
                $"{files.IssuerKeyPath} is not a PEM private key that matches {files.IssuerCertPath}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{files.IssuerKeyPath} holds no PEM private key: {e.Message}", e);
        }
        finally
        {
            issuerPublic.Dispose();
        }

        try
        {
            Check(files, issuer, root);
        }
        catch
        {
            issuer.Dispose();
            root.Dispose();
            throw;
        }
        // Return only the first PEM block of each file, normalised, so chains built from them are clean.
        return new IssuerCredentials(issuer, root, issuer.ExportCertificatePem() + "\n", root.ExportCertificatePem() + "\n");
    }

    /// <summary>Builds the chain of <paramref name="leaf"/> to the root through this issuer, at <paramref name="at"/>.</summary>
    public bool ChainBuilds(X509Certificate2 leaf, DateTime at, out string problem) =>
        ChainBuilds(leaf, Issuer, Root, at, out problem);

    private static bool ChainBuilds(X509Certificate2 leaf, X509Certificate2 issuer, X509Certificate2 root, DateTime at, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issuer);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at;
        if (chain.Build(leaf))
        {
            problem = "";
            return true;
        }
        problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Issuer.Dispose();
        Root.Dispose();
    }

    private static void Check(CredentialFiles files, X509Certificate2 issuer, X509Certificate2 root)
    {
        var constraints = issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is null || !constraints.CertificateAuthority)
        {
            throw new InvalidDataException($"{files.IssuerCertPath} is not a CA certificate (basic constraints CA:TRUE missing).");
        }
        using var issuerOnly = X509CertificateLoader.LoadCertificate(issuer.RawData);
        if (!ChainBuilds(issuerOnly, issuerOnly, root, DateTime.Now, out var problem))
        {
            throw new InvalidDataException(
                $"{files.IssuerCertPath} (expires {issuer.NotAfter:u}) does not chain to {files.RootCertPath} now: {problem}");
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} cannot be read: {e.Message}", e);
        }
    }

    private static X509Certificate2 Parse(string path, Func<X509Certificate2> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"{path} holds no PEM certificate: {e.Message}", e);
        }
    }
}
