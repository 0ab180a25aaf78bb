namespace Basalt.Deployment;

/// <summary>
/// Where Bedrock may run a request (seed 002): in the one region (<c>regional</c>, a bare foundation-model id),
/// across the regions of one geography (<c>cross-region</c>, a <c>us.</c>/<c>eu.</c>/... system inference
/// profile), or anywhere (<c>global</c>, a <c>global.</c> profile, about 10% cheaper, no data residency).
/// </summary>
public enum InferenceProfileScope
{
    Regional = 0,
    CrossRegion,
    Global,
}
