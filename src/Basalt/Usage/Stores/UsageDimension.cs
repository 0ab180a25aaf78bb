namespace Basalt.Usage.Stores;

/// <summary>Who a rollup row or a budget counts: one user, one group, one API key/token id, or the whole organization.</summary>
public enum UsageDimension
{
    User,
    Group,
    Key,
    Org,
}
