/**
 * HTTP/3 (RFC 9114) over QUIC (RFC 9000) beside an https listener: Netty's QUIC codec (quiche
 * through netty-codec-native-quic) and HTTP/3 codec, each request stream converted to the
 * HTTP/1.1 message model the transport's connection handler consumes, so that the whole pipeline
 * runs the same whatever the protocol.
 */
package io.weir.server.http3;
