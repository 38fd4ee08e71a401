/**
 * The server's Prometheus metrics (Micrometer), which the admin endpoint serves at
 * {@code /metrics}: requests by site, status class and protocol, latency histograms, body bytes,
 * connections, requests in flight, event-loop overruns, file cache lookups, health, readiness, JVM
 * and buffer memory.
 */
package io.weir.server.metrics;
