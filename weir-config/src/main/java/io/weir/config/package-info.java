/**
 * applicationHost.config: loading, validation, sites, global modules and the effective
 * {@code system.webServer} configuration of each URL. Entry point: {@link io.weir.config.ApplicationHostConfig}.
 */
package io.weir.config;
