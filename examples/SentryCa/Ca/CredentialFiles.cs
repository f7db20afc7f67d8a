namespace SentryCa.Ca;

/// <summary>The three files of the CA's credentials directory, as Dapr's Sentry names them.</summary>
public sealed class CredentialFiles
{
    /// <summary>File name of the trust root certificate.</summary>
    public const string RootCertName = "ca.crt";

    /// <summary>File name of the issuer certificate.</summary>
    public const string IssuerCertName = "issuer.crt";

    /// <summary>File name of the issuer's private key.</summary>
    public const string IssuerKeyName = "issuer.key";

    /// <summary>Creates the file set for <paramref name="directory"/>.</summary>
    public CredentialFiles(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The credentials directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Path of <c>ca.crt</c>.</summary>
    public string RootCertPath => Path.Combine(Directory, RootCertName);

    /// <summary>Path of <c>issuer.crt</c>.</summary>
    public string IssuerCertPath => Path.Combine(Directory, IssuerCertName);

    /// <summary>Path of <c>issuer.key</c>.</summary>
    public string IssuerKeyPath => Path.Combine(Directory, IssuerKeyName);

    /// <summary>All three paths.</summary>
    public IEnumerable<string> All => [RootCertPath, IssuerCertPath, IssuerKeyPath];

    /// <summary>Writes a credential set (used on first run, and by tests that rotate the issuer).</summary>
    public void Write(CaBundlePem bundle)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // The key first and the certificate last, so a watcher that reacts between writes sees a mismatch at worst
        // (which fails the load and is retried on the next change), never a certificate without its key.
        WriteAtomically(IssuerKeyPath, bundle.IssuerKeyPem, privateKey: true);
        WriteAtomically(RootCertPath, bundle.RootCertPem, privateKey: false);
        WriteAtomically(IssuerCertPath, bundle.IssuerCertPem, privateKey: false);
    }

    private static void WriteAtomically(string path, string content, bool privateKey)
    {
        var temp = path + ".tmp";
        // PEM files end with a newline, so `cat issuer.crt ca.crt > bundle.pem` gives a valid bundle.
        File.WriteAllText(temp, content.EndsWith('\n') ? content : content + "\n");
        if (privateKey && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temp, path, overwrite: true);
    }
}
