namespace Basalt.Deployment.Planning;

/// <summary>The deployment file turned into per-group managed-configuration plans; every artifact generator reads this.</summary>
public sealed record DeploymentPlan(DeploymentFile File, IReadOnlyList<GroupPlan> Groups);
