namespace AnomalyNcd.Dashboard.Access;

/// <summary>A configured dashboard user: name, one role (viewer, operator, admin) and an ASP.NET Core PasswordHasher hash.</summary>
public sealed class DashboardUser
{
    public string Name { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;
}
