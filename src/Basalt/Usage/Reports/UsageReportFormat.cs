namespace Basalt.Usage.Reports;

/// <summary>Output formats of <c>basalt usage report</c>.</summary>
public enum UsageReportFormat
{
    Table,
    Csv,
    Json,
}
