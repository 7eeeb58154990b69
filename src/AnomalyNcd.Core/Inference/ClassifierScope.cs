namespace AnomalyNcd.Core.Inference;

/// <summary>Which of the selected head's classes a <see cref="CropClassifier"/> may assign a crop to.</summary>
public enum ClassifierScope
{
    /// <summary>
    /// Novel classes only, softmax over the novel logits and base entries 0: discovery's own transductive
    /// assignment (the method assigns only unlabelled crops, which by definition belong to no base class).
    /// </summary>
    NovelOnly,

    /// <summary>
    /// Softmax over all K = base + novel logits: online assignment, where a new crop may well belong to a
    /// class operators confirmed (a base class of the model).
    /// </summary>
    AllClasses,
}
