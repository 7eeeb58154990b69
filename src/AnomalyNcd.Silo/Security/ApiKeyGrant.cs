using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AnomalyNcd.Silo.Security;

/// <summary>
/// One configured API key: a client name (used for rate limiting and audit), its role, and the SHA-256 of the
/// key (64 hex digits). The key itself is never stored; configuration carries <c>name:role:sha256</c>.
/// </summary>
public sealed partial record ApiKeyGrant(string Name, string Role, string Sha256)
{
    /// <summary>Prefix of keys made by <see cref="NewKey"/>, so a leaked key is recognisable in a scan.</summary>
    public const string KeyPrefix = "ancd_";

    /// <summary>A fresh key: the prefix and 32 random bytes in base64url (256 bits).</summary>
    public static string NewKey() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The grant for a key given in clear (the demo and tests mint their own); only its hash is kept.</summary>
    public static ApiKeyGrant ForKey(string name, string role, string key) => new(name, role, HashOf(key));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The configuration form <c>name:role:sha256</c>.</summary>
    public override string ToString() => $"{Name}:{Role}:{Sha256}";

    /// <summary>
    /// Parses a list of <c>name:role:sha256</c> grants separated by commas, semicolons or line breaks (the form of
    /// <c>ANOMALYNCD_API_KEYS</c>); <paramref name="source"/> names where the text came from in errors. The hash,
    /// not a key, is expected: a value that is not 64 hex digits is refused.
    /// </summary>
    public static IReadOnlyList<ApiKeyGrant> ParseList(string? text, string source)
    {
        var grants = new List<ApiKeyGrant>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return grants;
        }

        var entries = text.Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var parts = entries[i].Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 3)
            {
                // The entry may be a key pasted by mistake: do not echo it.
                throw new ArgumentException($"{source}: entry {i + 1} is not name:role:sha256 ({parts.Length} part(s))");
            }

            grants.Add(new ApiKeyGrant(parts[0], parts[1].ToLowerInvariant(), parts[2].ToLowerInvariant()));
        }

        return grants;
    }

    /// <summary>Refuses an empty or odd name, an unknown role or a hash that is not 64 hex digits; never echoes the hash.</summary>
    public void Validate(string source)
    {
        if (!NamePattern().IsMatch(Name ?? string.Empty))
        {
            throw new ArgumentException($"{source}: key name '{Name}' must be 1-64 letters, digits, '.', '_' or '-'");
        }

        if (!ApiRoles.All.Contains(Role))
        {
            throw new ArgumentException($"{source}: role '{Role}' of key {Name} is not one of {string.Join(", ", ApiRoles.All)}");
        }

        if (!HashPattern().IsMatch(Sha256 ?? string.Empty))
        {
            throw new ArgumentException($"{source}: key {Name} needs the SHA-256 of the key as 64 hex digits (see `anomalyncd keys new`), not the key itself");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}
