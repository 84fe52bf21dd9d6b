/**
 * Internal use only: the pipe engine (workers, scheduler, waiter), the JNA binding of the Linux system
 * calls, and descriptor access. Not a public API; may change without notice.
 */
package dev.hostplane.iopipe.internal;
