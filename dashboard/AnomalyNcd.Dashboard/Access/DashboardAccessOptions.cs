namespace AnomalyNcd.Dashboard.Access;

/// <summary>
/// Configuration section <c>Dashboard</c>: the users who may sign in, e.g. the environment variables
/// <c>Dashboard__Users__0__Name=otto</c>, <c>Dashboard__Users__0__Role=operator</c>, <c>Dashboard__Users__0__PasswordHash=AQAAAA…</c>.
/// </summary>
public sealed class DashboardAccessOptions
{
    public const string Section = "Dashboard";

    public List<DashboardUser> Users { get; set; } = [];
}
