package io.ferry.convert;

/**
 * Tuning of the snapshot conversion.
 *
 * @param bigKeyBytes     values larger than this are never sent as one RESTORE; they are
 *                        rewritten as typed commands in batches
 * @param batchElements   most elements per typed command
 * @param batchBytes      most argument bytes per typed command
 * @param preferTyped     always use typed commands (never RESTORE)
 */
public record ConvertOptions(ConflictPolicy onConflict, long bigKeyBytes, int batchElements, long batchBytes, boolean preferTyped) {
    public static ConvertOptions defaults(ConflictPolicy p) {
        return new ConvertOptions(p, 64L << 20, 1000, 1 << 20, false);
    }
}
