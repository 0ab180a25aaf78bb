using Basalt.Usage.Records;

namespace Basalt.Usage.Journal;

/// <summary>A record the journal has made durable, handed to the store writer in memory.</summary>
/// <param name="After">Where the record ends: the writer's checkpoint once it is in the store.</param>
/// <param name="Before">The committed position just before it (the checkpoint that makes it next in line).</param>
internal readonly record struct JournalCommittedRecord(UsageRecord Record, JournalPosition Before, JournalPosition After);
