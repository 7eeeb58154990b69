using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AnomalyNcd.Dashboard;

public static class DashboardEndpointExtensions
{
    /// <summary>Maps the dashboard pages at the site root (interactive server) and its embedded browser assets.</summary>
    public static WebApplication MapAnomalyNcdDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        EmbeddedAssets.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
