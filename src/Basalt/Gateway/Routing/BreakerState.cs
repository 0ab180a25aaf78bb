namespace Basalt.Gateway.Routing;

public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}
