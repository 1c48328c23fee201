/**
 * Reads a Pika dump (RocksDB files) into Ferry's snapshot events ({@link io.ferry.rdb.RdbHandler}):
 * the blackwidow layout of Pika 3.x (five per-type RocksDBs) and the floyd layout of Pika 4.0
 * (instances {@code 0/ 1/ …}). The only package that loads {@code org.rocksdb}: rocksdbjni ships
 * beside the shaded jar. Formats: PIKA.md §8–§10 and the fixtures' "Discrepancies" sections.
 */
package io.ferry.source.pika.snapshot;
