namespace Basalt.Usage.Stores;

/// <summary>How <c>basalt usage report --by</c> groups rows.</summary>
public enum ReportBy
{
    User,
    Group,
    Model,
    Key,
    Day,

    /// <summary>What group routing served instead of what was asked: <c>requested&gt;baseline&gt;served</c> rows.</summary>
    Routing,
}
