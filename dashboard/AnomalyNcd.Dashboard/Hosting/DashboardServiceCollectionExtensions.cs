using AnomalyNcd.Dashboard.Data;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnomalyNcd.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dashboard: Razor components with interactive server rendering, MudBlazor, and the grain-backed
    /// data services (they need an <see cref="IGrainFactory"/>: a co-hosted silo's or an Orleans client's).
    /// </summary>
    public static IServiceCollection AddAnomalyNcdDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        var options = new DashboardOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddSingleton<IDashboardData, GrainDashboardData>();
        services.AddSingleton<IClassDecisions, GrainClassDecisions>();
        return services;
    }
}
