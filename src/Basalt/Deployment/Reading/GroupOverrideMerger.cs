using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Lays a group's overrides over the top-level sections. Mappings merge key by key (the group wins), lists and
/// scalars are replaced. An <c>auth</c> mapping that names its own <c>approach</c> replaces the whole top-level
/// <c>auth</c>, because the fields of one approach (a bearer token, say) must not leak into another.
/// </summary>
internal static class GroupOverrideMerger
{
    public static InputNode Merge(InputNode baseNode, InputNode overrideNode, string? key = null)
    {
        if (baseNode.Kind != InputNodeKind.Mapping || overrideNode.Kind != InputNodeKind.Mapping)
        {
            return overrideNode;
        }

        if (key == "auth" && overrideNode.Get("approach") is not null)
        {
            return overrideNode;
        }

        var merged = new List<KeyValuePair<InputNode, InputNode>>(baseNode.Entries.Count + overrideNode.Entries.Count);
        foreach (var (k, v) in baseNode.Entries)
        {
            var over = overrideNode.Get(k.Scalar ?? string.Empty);
            merged.Add(over is null ? new(k, v) : new(overrideNode.GetKey(k.Scalar!)!, Merge(v, over, k.Scalar)));
        }

        foreach (var (k, v) in overrideNode.Entries)
        {
            if (baseNode.Get(k.Scalar ?? string.Empty) is null)
            {
                merged.Add(new(k, v));
            }
        }

        return InputNode.CreateMapping(merged, overrideNode.Location);
    }
}
