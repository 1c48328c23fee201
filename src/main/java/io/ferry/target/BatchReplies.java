package io.ferry.target;

import io.ferry.resp.Reply;

/**
 * What became of one batch a {@link BatchWriter} wrote: any number of {@link #rejected} /
 * {@link #refused} first, then exactly one of {@link #done}, {@link #discarded} or {@link #lost}.
 */
public interface BatchReplies {
    /** The target ran {@code argv} and rejected it (WRONGTYPE, …); the rest of the batch ran. */
    void rejected(byte[][] argv, String message);

    /** The target refused a step of Ferry's own (a SELECT, the checkpoint): the run cannot go on. */
    void refused(String message);

    /** Nothing of the batch ran (EXECABORT, OOM, READONLY, …); {@code firstRefused} says why, if known. */
    void discarded(Reply.Error error, String firstRefused);

    /** The batch and its checkpoint are on the target. */
    void done();

    /** The connection broke: whether the batch ran is known only from the checkpoints read back. */
    void lost(Throwable cause);
}
