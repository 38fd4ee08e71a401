/**
 * A small, read-only view of a started engine for tools (the {@code weir} command's {@code explain},
 * {@code test rewrite} and admin reports): how a request target is normalized, which site and
 * physical path a URL maps to, the compiled pipeline of a URL's configuration (modules per
 * notification with their priorities, the handler table and its match) and the server-level stored
 * contexts. Nothing here changes the engine or sends a request through it.
 *
 * <p>Thread rules: every method may be called from any thread; the views are immutable snapshots
 * of the generation that was current when they were taken.
 */
package io.weir.core.inspect;
