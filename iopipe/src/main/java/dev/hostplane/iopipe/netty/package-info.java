/**
 * Netty integration: {@link dev.hostplane.iopipe.netty.PipeHandler} pipes a
 * {@link dev.hostplane.iopipe.netty.PipeBody} straight into a channel's socket between the pipeline's
 * own writes (for example after an HTTP codec wrote the response head).
 */
package dev.hostplane.iopipe.netty;
