/**
 * iopipe: zero-copy source-to-sink pipes over files and TCP sockets with per-tenant byte credits (the
 * vPipe idea). Start with {@link dev.hostplane.iopipe.PipeService}: name a {@link dev.hostplane.iopipe.Source}
 * and a {@link dev.hostplane.iopipe.Sink}, and the service moves the bytes with sendfile, splice,
 * copy_file_range or a direct-buffer copy, in chunks, on its worker threads.
 */
package dev.hostplane.iopipe;
