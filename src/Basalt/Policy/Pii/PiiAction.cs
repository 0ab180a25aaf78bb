namespace Basalt.Policy.Pii;

/// <summary>What a group's policy does with a category it finds (issue 12 item 2).</summary>
public enum PiiAction
{
    /// <summary>Replace with a stable per-request placeholder (<c>[EMAIL_1]</c>) the model can still refer to.</summary>
    Mask,

    /// <summary>Refuse the request, naming the category and never the value.</summary>
    Block,

    /// <summary>Let it through; count it in the audit event (category and count, never the value).</summary>
    LogOnly,
}
