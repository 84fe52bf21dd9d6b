/**
 * The Java snippets of the README, as programs that compile with the build and run in a test
 * ({@code ReadmeSnippetTest}): each file's {@code README} region is pasted into the README verbatim,
 * imports included, and the test starts each one in a JVM that has exactly the flags the README
 * lists for its module, checking that the fast path was taken.
 */
package dev.hostplane.examples.readme;
