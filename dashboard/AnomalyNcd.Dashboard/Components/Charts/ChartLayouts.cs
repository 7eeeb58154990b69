using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace AnomalyNcd.Dashboard.Components.Charts;

/// <summary>The look the dashboard's Plotly charts share: compact margins, titled axes, no Plotly logo.</summary>
internal static class ChartLayouts
{
    public static Plotly.Blazor.Layout Of(string xTitle, string yTitle, int height = 280, bool showLegend = false) => new()
    {
        Height = height,
        AutoSize = true,
        ShowLegend = showLegend,
        Margin = new Margin { L = 60, R = 20, T = 20, B = 60 },
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
    };

    /// <summary>
    /// The chart div's height, equal to the layout's: with a responsive config plotly.js otherwise sizes the div to its
    /// own default (about 400 px) and leaves a blank band under a smaller plot.
    /// </summary>
    public static string HeightStyle(Plotly.Blazor.Layout layout) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"height: {layout.Height}px");

    public static Plotly.Blazor.Config Config() => new() { Responsive = true, DisplayLogo = false };
}
