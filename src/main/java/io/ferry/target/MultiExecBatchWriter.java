package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.route.CommandTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The checkpoint strategy of servers written whole: a lane's batch is one MULTI/EXEC that ends
 * with a SET of the lane's checkpoint key ({@code __ferry_checkpoint:[partition:]<lane>} in db 0),
 * so the batch and its checkpoint are applied together or not at all. The checkpoint unit is the
 * lane. On a target of several servers (twemproxy's backends) each lane writes to one of them,
 * and its checkpoint lives there.
 */
public final class MultiExecBatchWriter implements BatchWriter {
    private final Target target;
    private final List<Lane> lanes;
    private final LongFunction<String> value;
    private final long[] applied;
    private final String partition;
    private boolean atomic = true;

    /**
     * {@code value} makes the checkpoint key's value for an offset; {@code applied} holds what each
     * lane's key said at the start (null: nothing).
     */
    public MultiExecBatchWriter(Target target, String partition, LongFunction<String> value, long[] applied) {
        this.target = target;
        this.partition = partition;
        this.lanes = target.lanes();
        this.value = value;
        this.applied = applied;
    }

    /**
     * This writer without MULTI/EXEC, for a target that has no transactions (Pika 3.3): the batch,
     * then its checkpoints, pipelined. A crash between them re-applies the batch on resume
     * (at-least-once), never loses it: the checkpoint is written after what it covers.
     */
    public MultiExecBatchWriter atLeastOnce() {
        atomic = false;
        return this;
    }

    /** A barrier writes every lane's checkpoint in its transaction: lane 0's says whether it ran. */
    @Override
    public boolean barrierApplied(long end) {
        return applied != null && end <= applied[0];
    }

    @Override
    public int units() {
        return lanes.size();
    }

    @Override
    public int unitOf(byte[] key, int lane) {
        return lane;
    }

    @Override
    public void write(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies) {
        send(lane, cmds, checkpoint, lane, lane + 1, replies);
    }

    @Override
    public void writeBarrier(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies) {
        send(lane, cmds, checkpoint, 0, lanes.size(), replies);
    }

    /** On several servers a block is split per server anyway: per lane, as each of its parts. */
    @Override
    public boolean splitsBlocks() {
        return target.nodes() > 1;
    }

    @Override
    public void flush(int lane) {
        lanes.get(lane).flush();
    }

    @Override
    public void flush() {
        target.flush();
    }

    @Override
    public void drain() {
        target.drain();
    }

    @Override
    public void clearCheckpoints() {
        for (int n = 0; n < target.nodes(); n++) { // each lane's key lives on its lane's node
            List<byte[]> del = new ArrayList<>();
            del.add(Args.b("DEL"));
            int lead = -1;
            for (int i = lanes.size() - 1; i >= 0; i--) {
                if (target.nodeOfLane(i) == n) {
                    del.add(StreamApplier.checkpointKey(partition, i));
                    lead = i;
                }
            }
            if (lead >= 0) {
                Lane l = lanes.get(lead);
                l.send(0, del.toArray(new byte[0][]), r -> {});
                l.flush();
                l.drain();
            }
        }
    }

    /** Stands for a checkpoint SET among a transaction's replies. */
    private static final byte[][] CHECKPOINT = new byte[0][];

    /**
     * One transaction: the SELECT of the first command goes before MULTI; one the lane puts inside
     * is one more EXEC reply, so replies are matched to what was queued, not to positions in the
     * batch. Then the checkpoint SETs of lanes {@code [fromLane, toLane)}.
     */
    private void send(int lane, List<Cmd> batch, long checkpoint, int fromLane, int toLane, BatchReplies replies) {
        if (!atomic) {
            sendPlain(lane, batch, checkpoint, fromLane, toLane, replies);
            return;
        }
        Lane l = lanes.get(lane);
        List<byte[][]> queued = new ArrayList<>(batch.size() + 4); // EXEC reply i answers queued[i] (null: a SELECT)
        List<String> refusedAtQueue = new ArrayList<>(0); // touched by the lane's reply thread only
        l.send(batch.get(0).db(), new byte[][] {Args.b("MULTI")}, r -> {
            if (r.isError()) {
                replies.refused("the target refused a replication step: " + ((Reply.Error) r).message());
            }
        });
        boolean selectedInside = false;
        for (Cmd c : batch) {
            selectedInside |= queue(l, c.db(), c.argv(), c.argv(), queued, refusedAtQueue);
        }
        byte[] v = Args.b(value.apply(checkpoint));
        for (int i = fromLane; i < toLane; i++) {
            if (target.nodeOfLane(i) != target.nodeOfLane(lane)) {
                continue; // a lane's checkpoint lives on its own node
            }
            selectedInside |= queue(l, 0, new byte[][] {Args.b("SET"), StreamApplier.checkpointKey(partition, i), v}, CHECKPOINT, queued, refusedAtQueue);
        }
        l.send(-1, new byte[][] {Args.b("EXEC")}, new ReplyCallback() {
            @Override
            public void onReply(Reply r) {
                if (r.isError()) {
                    replies.discarded((Reply.Error) r, refusedAtQueue.isEmpty() ? null : refusedAtQueue.get(0));
                    return;
                }
                List<Reply> results = r.asList();
                for (int i = 0; i < results.size() && i < queued.size(); i++) {
                    if (results.get(i).isError()) {
                        String message = ((Reply.Error) results.get(i)).message();
                        byte[][] what = queued.get(i);
                        if (what == null) {
                            replies.refused("the target refused SELECT: " + message);
                        } else if (what == CHECKPOINT) {
                            replies.refused("the target refused to record the checkpoint: " + message);
                        } else {
                            replies.rejected(what, message);
                        }
                    }
                }
                replies.done();
            }

            @Override
            public void onFailure(Throwable cause) {
                replies.lost(cause);
            }
        });
        if (selectedInside) {
            l.forgetDb(); // if the transaction is discarded its SELECTs never ran
        }
    }

    /** The at-least-once batch: each command's reply on its own, the last checkpoint's reply ends it. */
    private void sendPlain(int lane, List<Cmd> batch, long checkpoint, int fromLane, int toLane, BatchReplies replies) {
        Lane l = lanes.get(lane);
        boolean[] lost = {false}; // touched by the lane's reply thread only
        for (Cmd c : batch) {
            byte[][] argv = c.argv();
            l.send(c.db(), argv, new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    if (r.isError()) {
                        replies.rejected(argv, ((Reply.Error) r).message());
                    }
                }

                @Override
                public void onFailure(Throwable cause) {
                    if (!lost[0]) {
                        lost[0] = true;
                        replies.lost(cause);
                    }
                }
            });
        }
        byte[] v = Args.b(value.apply(checkpoint));
        List<Integer> mine = new ArrayList<>();
        for (int i = fromLane; i < toLane; i++) {
            if (target.nodeOfLane(i) == target.nodeOfLane(lane)) {
                mine.add(i);
            }
        }
        for (int k = 0; k < mine.size(); k++) {
            boolean last = k == mine.size() - 1;
            l.send(0, new byte[][] {Args.b("SET"), StreamApplier.checkpointKey(partition, mine.get(k)), v}, new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    if (r.isError()) {
                        replies.refused("the target refused to record the checkpoint: " + ((Reply.Error) r).message());
                    }
                    if (last && !lost[0]) {
                        replies.done();
                    }
                }

                @Override
                public void onFailure(Throwable cause) {
                    if (!lost[0]) {
                        lost[0] = true;
                        replies.lost(cause);
                    }
                }
            });
        }
    }

    /** Queues one command of the transaction; returns whether the lane put a SELECT before it. */
    private static boolean queue(Lane l, int db, byte[][] argv, byte[][] stands, List<byte[][]> queued, List<String> refusedAtQueue) {
        boolean selected = l.send(db, argv, r -> {
            if (r.isError()) {
                refusedAtQueue.add(CommandTable.name(argv) + ": " + ((Reply.Error) r).message());
            }
        });
        if (selected) {
            queued.add(null);
        }
        queued.add(stands);
        return selected;
    }
}
