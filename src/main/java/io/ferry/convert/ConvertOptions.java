package io.ferry.convert;

/**
 * Tuning of the snapshot conversion.
 *
 * @param bigKeyBytes     values larger than this are never sent as one RESTORE; they are
 *                        rewritten as typed commands in batches
 * @param batchElements   most elements per typed command
 * @param batchBytes      most argument bytes per typed command
 * @param preferTyped     always use typed commands (never RESTORE)
 * @param bulkStrings     plain strings without TTL may be written many per MSET: only when no
 *                        conflict can happen (the target was empty at the start) or they replace
 * @param onUnsupported   a module value the target cannot take: stop (naming key and module), or skip and count it
 */
public record ConvertOptions(ConflictPolicy onConflict, long bigKeyBytes, int batchElements, long batchBytes, boolean preferTyped,
        boolean bulkStrings, OnUnsupported onUnsupported) {
    public ConvertOptions(ConflictPolicy onConflict, long bigKeyBytes, int batchElements, long batchBytes, boolean preferTyped, boolean bulkStrings) {
        this(onConflict, bigKeyBytes, batchElements, batchBytes, preferTyped, bulkStrings, OnUnsupported.FAIL);
    }
}
