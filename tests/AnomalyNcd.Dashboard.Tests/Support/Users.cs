using System.Security.Claims;

namespace AnomalyNcd.Dashboard.Tests.Support;

internal static class Users
{
    public static ClaimsPrincipal WithRole(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());
}
