using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Desirable.Identity.Keys;

/// <summary>
/// An RSA key kept as a PEM file in the local data folder, so tokens issued before a restart still validate after
/// it. The key id is the RFC 7638 thumbprint of the public key: the same key always has the same <c>kid</c>.
/// </summary>
public static class PersistentRsaKey
{
    public static RsaSecurityKey LoadOrCreate(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}.pem");

        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            // Written whole, then moved into place, so a crash never leaves half a key behind.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: false);
        }

        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
