package io.weir.core.spi;

/**
 * The engine's per-connection state ({@code IHttpConnection}'s context containers and the like),
 * which the transport keeps with a connection for the engine without looking into it. Touched on
 * the connection's event loop only.
 */
public interface ConnectionAttachment {}
