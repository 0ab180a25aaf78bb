namespace Basalt.Usage.Stores;

/// <summary>How <c>basalt usage report --by</c> groups rows.</summary>
public enum ReportBy
{
    User,
    Group,
    Model,
    Key,
    Day,
}
