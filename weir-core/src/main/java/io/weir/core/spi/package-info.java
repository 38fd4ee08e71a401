/**
 * The host SPI: what the engine needs from an HTTP transport ({@link io.weir.core.spi.Exchange})
 * and nothing else, so that weir-core never sees Netty; and what a host may install to watch the
 * pipeline ({@link io.weir.core.spi.PipelineObserver}: the server's metrics, the test harness).
 */
package io.weir.core.spi;
