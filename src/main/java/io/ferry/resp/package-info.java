/**
 * Ferry's own RESP2 client core: {@link io.ferry.resp.RedisUri} and {@link io.ferry.resp.TlsOptions} say where and
 * how to connect, {@link io.ferry.resp.RedisConnection} does synchronous calls and raw protocol access,
 * {@link io.ferry.resp.PipelinedConnection} streams commands with a bounded in-flight window, and
 * {@link io.ferry.resp.RespReader} / {@link io.ferry.resp.RespWriter} are the codec. All failures are
 * {@link io.ferry.resp.RedisException}s whose messages never contain passwords.
 */
package io.ferry.resp;
