namespace AnomalyNcd.Core.Discovery;

/// <summary>How the images of the split are used.</summary>
public enum DiscoveryProtocol
{
    /// <summary>The paper's: train on all unlabelled crops of the split and evaluate on the same crops.</summary>
    Transductive,

    /// <summary>
    /// The product's: train on one half of the split's images (chosen by a hash of the image path), then
    /// assign the other half with the trained model, as new images would be assigned online.
    /// </summary>
    Inductive,
}
