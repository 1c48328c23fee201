/**
 * Pika binlog items → Redis commands ({@link io.ferry.source.pika.binlog.PikaTranslator}).
 *
 * <p>What the session applying the actions must do:
 * <ul>
 *   <li>apply the actions of one item together (MULTI/EXEC): e.g. {@code SET} + {@code EXPIREAT} on targets
 *       older than 6.2, or one {@code PERSIST} per type name of a multi-type name;</li>
 *   <li>{@link io.ferry.source.pika.binlog.Action.Refetch}: read the key from the source and replace it on the
 *       target under {@code TypeNames.targetName(key, type)} (empty = the policy leaves it out);</li>
 *   <li>the {@code PKPATTERNMATCHDEL} EVAL declares no key: on a cluster target send it to every master (it
 *       SCANs only the node it runs on, and blocks that node while it scans);</li>
 *   <li>{@code FLUSHDB} cannot be filtered per key;</li>
 *   <li>WRONGTYPE replies are expected for names that become multi-type only inside the stream (see
 *       {@link io.ferry.source.pika.binlog.TypeNames}): report them, do not stop.</li>
 * </ul>
 */
package io.ferry.source.pika.binlog;
