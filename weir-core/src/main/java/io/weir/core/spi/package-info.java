/**
 * The transport SPI: what the engine needs from an HTTP transport ({@link io.weir.core.spi.Exchange})
 * and nothing else, so that weir-core never sees Netty.
 */
package io.weir.core.spi;
