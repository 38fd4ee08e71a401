/**
 * The outbound connector that weir-server offers to modules ({@link io.weir.api.outbound}): Netty
 * client channels on the requests' own event loops, HTTP/1.1 connections pooled per event loop and
 * per backend, strict parsing of backend responses, and byte-stream connections over TCP or
 * Unix-domain sockets.
 */
package io.weir.server.outbound;
