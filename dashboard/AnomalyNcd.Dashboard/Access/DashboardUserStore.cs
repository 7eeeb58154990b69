using System.Security.Claims;
using System.Security.Cryptography;
using AnomalyNcd.Dashboard.Logic;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Dashboard.Access;

/// <summary>
/// Checks sign-ins against the configured users. With none configured, a first-run admin <c>admin</c> gets a random
/// password (valid until the process restarts), written to an owner-only file whose path is logged — secrets never go
/// to the log — so a fresh install can be opened.
/// </summary>
public sealed class DashboardUserStore
{
    public const string FirstRunAdmin = "admin";

    private readonly PasswordHasher<DashboardUser> hasher = new();
    private readonly Dictionary<string, DashboardUser> users = new(StringComparer.OrdinalIgnoreCase);

    public DashboardUserStore(IOptions<DashboardAccessOptions> options, ILogger<DashboardUserStore> logger)
    {
        for (var i = 0; i < options.Value.Users.Count; i++)
        {
            var user = options.Value.Users[i];
            var entry = $"{DashboardAccessOptions.Section}:Users:{i}";
            if (string.IsNullOrWhiteSpace(user.Name) || string.IsNullOrWhiteSpace(user.PasswordHash))
            {
                throw new InvalidOperationException($"{entry}: a user needs a Name and a PasswordHash");
            }

            if (!DashboardRoles.All.Contains(user.Role))
            {
                throw new InvalidOperationException($"{entry}: role '{user.Role}' of {user.Name} is not one of {string.Join(", ", DashboardRoles.All)}");
            }

            if (!users.TryAdd(user.Name, user))
            {
                throw new InvalidOperationException($"{entry}: user {user.Name} is configured twice");
            }
        }

        if (users.Count == 0)
        {
            FirstRunPassword = RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
            users[FirstRunAdmin] = new DashboardUser { Name = FirstRunAdmin, Role = DashboardRoles.Admin, PasswordHash = Hash(FirstRunPassword) };
            if (options.Value.FirstRunPasswordFile is { } file)
            {
                WriteOwnerOnly(file, FirstRunPassword + Environment.NewLine);
                logger.LogWarning(
                    "No dashboard users are configured ({Section}:Users). First-run admin '{User}': its password (valid until this process restarts) is in {File}.",
                    DashboardAccessOptions.Section, FirstRunAdmin, file);
            }
            else
            {
                logger.LogWarning(
                    "No dashboard users are configured ({Section}:Users) and no first-run password file is set, so nobody can sign in; configure users.",
                    DashboardAccessOptions.Section);
            }
        }
    }

    /// <summary>
    /// Writes a temporary file readable and writable by the owner only before any byte is written, then renames it
    /// over <paramref name="path"/>: silos starting together on one data folder each replace the file whole (the last
    /// one's password is left) instead of racing a delete against a create, which crashed the second silo.
    /// </summary>
    private static void WriteOwnerOnly(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(new FileStream(temporary, options)))
            {
                writer.Write(content);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The generated first-run admin password, or null when users are configured.</summary>
    public string? FirstRunPassword { get; }

    /// <summary>The hash to put in configuration for <paramref name="password"/>.</summary>
    public static string Hash(string password) => new PasswordHasher<DashboardUser>().HashPassword(new DashboardUser(), password);

    /// <summary>The signed-in principal (name and role claims) for correct credentials; null otherwise.</summary>
    public ClaimsPrincipal? Authenticate(string? name, string? password)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password) || !users.TryGetValue(name, out var user))
        {
            return null;
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }
}
