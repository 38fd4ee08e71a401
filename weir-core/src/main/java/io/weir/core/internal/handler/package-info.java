/**
 * Handler mappings (system.webServer/handlers): matching a URL and verb to a mapping, and the web
 * core's checks after MAP_REQUEST_HANDLER (404.4, 405.0, 404.0, 500.21). Tables are immutable and
 * shared; checks run on the request's event loop.
 */
package io.weir.core.internal.handler;
