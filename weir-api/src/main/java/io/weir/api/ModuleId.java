package io.weir.api;

/**
 * Opaque identity of a registered module, stable for the life of the server; mirrors IIS's
 * {@code HTTP_MODULE_ID}. It keys module context containers and trace subscriptions.
 *
 * @param value a number unique among the modules of this server process
 */
public record ModuleId(int value) {}
