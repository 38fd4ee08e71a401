/**
 * What the read-only commands work out and print: {@link io.weir.cli.inspect.RequestExplanation}
 * (what the server would do with one request), the {@code <location>} tags of a file, and plain
 * text tables and JSON.
 */
package io.weir.cli.inspect;
