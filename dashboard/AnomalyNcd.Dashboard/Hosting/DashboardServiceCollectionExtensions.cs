using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace AnomalyNcd.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dashboard: Razor components with interactive server rendering, MudBlazor, cookie sign-in with the
    /// users of configuration section <c>Dashboard</c>, and the grain-backed data services (they need an
    /// <see cref="IGrainFactory"/>: a co-hosted silo's or an Orleans client's).
    /// </summary>
    public static IServiceCollection AddAnomalyNcdDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        var options = new DashboardOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSingleton<IDashboardData, GrainDashboardData>();
        services.AddSingleton<IClassDecisions, GrainClassDecisions>();
        services.AddSingleton<ILineDetectors, GrainLineDetectors>();
        services.AddSingleton<ILineChanges, GrainLineChanges>();
        services.AddSingleton<IQualityData, GrainQualityData>();
        services.AddSingleton<IRegionDecisions, GrainRegionDecisions>();
        services.AddSingleton<ILineAlarms, GrainLineAlarms>();
        services.AddSingleton<ILineTrends, GrainLineTrends>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IImageQuery, GrainImageQuery>();
        services.TryAddSingleton<IArtefactReader, NoArtefactReader>();
        services.AddSingleton(_ => new ClassGrowth());

        services.AddOptions<DashboardAccessOptions>().BindConfiguration(DashboardAccessOptions.Section);
        services.AddSingleton<DashboardUserStore>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = AccountEndpoints.LoginPath;
                cookie.AccessDeniedPath = AccountEndpoints.LoginPath;
                cookie.Cookie.Name = "AnomalyNcd.Dashboard";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        return services;
    }
}
