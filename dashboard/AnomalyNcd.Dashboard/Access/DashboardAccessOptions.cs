namespace AnomalyNcd.Dashboard.Access;

/// <summary>
/// Configuration section <c>Dashboard</c>: the users who may sign in, e.g. the environment variables
/// <c>Dashboard__Users__0__Name=otto</c>, <c>Dashboard__Users__0__Role=operator</c>, <c>Dashboard__Users__0__PasswordHash=AQAAAA…</c>.
/// </summary>
public sealed class DashboardAccessOptions
{
    public const string Section = "Dashboard";

    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>
    /// Where the generated first-run admin password is written (owner-only file) when no user is configured; the log
    /// names this file, never the password. Null: the password is not written anywhere (configure users instead).
    /// </summary>
    public string? FirstRunPasswordFile { get; set; }
}
