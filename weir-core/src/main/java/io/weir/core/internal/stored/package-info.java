/**
 * Stored-context containers (IHttpModuleContextContainer): one slot per module on a request,
 * connection, site, application or the server, cleaned up when their owner goes away. Thread-safe.
 */
package io.weir.core.internal.stored;
