using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard;

public static class DashboardEndpointExtensions
{
    /// <summary>
    /// Maps the dashboard pages at the site root (interactive server, sign-in required), the sign-in/out posts and
    /// the embedded browser assets (anonymous, so the login page is styled) and a
    /// friendly not-found page for unknown addresses outside the API. The host has already added authentication
    /// and authorization to the pipeline (the API shares them); anti-forgery must come after both.
    /// </summary>
    public static WebApplication MapAnomalyNcdDashboard(this WebApplication app)
    {
        // Created now so a bad user configuration fails at start-up and the first-run admin password file is written at once.
        app.Services.GetRequiredService<DashboardUserStore>();
        app.UseAntiforgery();
        EmbeddedAssets.Map(app);
        AccountEndpoints.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
        NotFoundEndpoint.Map(app);
        return app;
    }
}
