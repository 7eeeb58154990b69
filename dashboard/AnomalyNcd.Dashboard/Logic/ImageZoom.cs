using System.Globalization;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Zoom and pan of the image page, as a CSS transform of the image and its overlay: scale from 1 (fit) to
/// <see cref="Max"/> in steps of <see cref="Step"/>, pan in screen pixels. Back at scale 1 the pan resets, so a
/// zoomed-out image is never off-centre.
/// </summary>
public sealed class ImageZoom
{
    public const double Min = 1.0;
    public const double Max = 8.0;
    public const double Step = 1.25;

    public double Scale { get; private set; } = Min;

    public double PanX { get; private set; }

    public double PanY { get; private set; }

    public bool CanZoomIn => Scale < Max;

    public bool CanZoomOut => Scale > Min;

    public void ZoomIn() => SetScale(Scale * Step);

    public void ZoomOut() => SetScale(Scale / Step);

    /// <summary>A wheel turn: up (negative delta) zooms in, down zooms out, no vertical delta does nothing.</summary>
    public void Wheel(double deltaY)
    {
        if (deltaY < 0)
        {
            ZoomIn();
        }
        else if (deltaY > 0)
        {
            ZoomOut();
        }
    }

    /// <summary>Moves the zoomed image by screen pixels; ignored at scale 1 (nothing to pan).</summary>
    public void Pan(double dx, double dy)
    {
        if (Scale <= Min || double.IsNaN(dx) || double.IsNaN(dy))
        {
            return;
        }

        PanX += dx;
        PanY += dy;
    }

    public void Reset()
    {
        Scale = Min;
        PanX = 0;
        PanY = 0;
    }

    /// <summary>The CSS transform for the current state (translate, then scale about the centre).</summary>
    public string Transform => string.Create(CultureInfo.InvariantCulture, $"translate({PanX:0.##}px, {PanY:0.##}px) scale({Scale:0.###})");

    public string Percent => string.Create(CultureInfo.InvariantCulture, $"{Scale * 100:0}%");

    private void SetScale(double scale)
    {
        Scale = Math.Clamp(Math.Round(scale, 3), Min, Max);
        if (Scale <= Min)
        {
            PanX = 0;
            PanY = 0;
        }
    }
}
