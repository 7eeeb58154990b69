using System.Security.Cryptography;
using System.Text;

namespace AnomalyNcd.Silo.Security;

/// <summary>The configured keys by hash; a presented key is hashed and compared with every grant in constant time.</summary>
public sealed class ApiKeyRing
{
    private readonly (ApiKeyGrant Grant, byte[] Hash)[] grants;

    public ApiKeyRing(IEnumerable<ApiKeyGrant> grants) =>
        this.grants = [.. grants.Select(grant => (grant, Convert.FromHexString(grant.Sha256)))];

    public int Count => grants.Length;

    /// <summary>The grant whose hash matches <paramref name="key"/>, or null. Every grant is compared, match or not.</summary>
    public ApiKeyGrant? Find(string key)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        ApiKeyGrant? found = null;
        foreach (var (grant, hash) in grants)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                found = grant;
            }
        }

        return found;
    }
}
