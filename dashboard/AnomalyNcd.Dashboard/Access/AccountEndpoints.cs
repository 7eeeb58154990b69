using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Dashboard.Access;

/// <summary>Sign-in and sign-out form posts (antiforgery-checked); the login form is the Login page.</summary>
internal static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPath, LoginAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(LogoutPath, (Func<HttpContext, Task<IResult>>)LogoutAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http,
        DashboardUserStore store,
        [FromForm(Name = "user")] string? user,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var principal = store.Authenticate(user?.Trim(), password);
        if (principal is null)
        {
            return Results.Redirect($"{LoginPath}?error=1&returnUrl={Uri.EscapeDataString(target)}");
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.Redirect(target);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LoginPath);
    }

    /// <summary>Only paths on this site, so a crafted link cannot bounce a signed-in user elsewhere.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
