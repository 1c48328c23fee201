package io.ferry.target;

/** One command for the target with the target db it runs in. */
public record Cmd(int db, byte[][] argv) {}
