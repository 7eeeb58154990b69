using System.Security.Claims;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>The dashboard's roles and what each may do: viewers look, operators and admins decide.</summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>Confirm, rename, merge, split and reject need operator or admin; everyone else (viewers, anonymous) only reads.</summary>
    public static bool CanDecide(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && (user.IsInRole(Operator) || user.IsInRole(Admin));

    /// <summary>A line's alarm rules are set by admins only (the API's PUT …/alarm-rules asks the same).</summary>
    public static bool CanSetAlarms(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true && user.IsInRole(Admin);

    /// <summary>The name stored with a decision in the audit log.</summary>
    public static string UserName(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
