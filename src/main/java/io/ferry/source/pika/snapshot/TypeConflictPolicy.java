package io.ferry.source.pika.snapshot;

public enum TypeConflictPolicy { FIRST, SUFFIX, SKIP }
