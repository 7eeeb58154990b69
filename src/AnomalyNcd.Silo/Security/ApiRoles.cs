namespace AnomalyNcd.Silo.Security;

/// <summary>
/// Roles of the HTTP API: the dashboard's three (viewer, operator, admin) plus <c>ingest</c> for machine clients
/// that only upload images. The names match <c>AnomalyNcd.Dashboard.Logic.DashboardRoles</c>, so a signed-in
/// dashboard user carries the same role into the API.
/// </summary>
public static class ApiRoles
{
    public const string Viewer = "viewer";
    public const string Ingest = "ingest";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Ingest, Operator, Admin];
}
