/**
 * Append-only files as a restore source: plain RESP AOFs, RDB-preamble AOFs and Redis 7 multi-part
 * AOF directories (manifest, base, incrementals), with {@code #TS:} annotations for point-in-time
 * restores.
 */
package io.ferry.source.aof;
