package io.weir.core;

/**
 * An address the transport must listen on, derived from the sites' bindings (several bindings that
 * differ only by host name share one listener).
 *
 * @param protocol "http" or "https"
 * @param ip       "*" for every address, else a literal address (IPv6 without brackets)
 * @param port     the port; 0 for any free port
 */
public record ListenAddress(String protocol, String ip, int port) {}
