namespace Basalt.Diagnostics.Reading;

/// <summary>The shape of one node of structured input.</summary>
public enum InputNodeKind
{
    Scalar = 0,
    Mapping,
    Sequence,
}
