/**
 * HTTP/2 (RFC 9113) on TLS by ALPN and in cleartext (h2c): Netty's frame codec and multiplexer,
 * each stream converted to the HTTP/1.1 message model the transport's connection handler consumes,
 * with the limits that protect against the known HTTP/2 floods.
 */
package io.weir.server.http2;
