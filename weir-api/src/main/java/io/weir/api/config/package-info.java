/**
 * Typed access to configuration sections: a module declares a ConfigSectionType and reads the
 * section bound for the request's URL through HttpContext.config. Bound sections are immutable and
 * may be read from any thread.
 */
package io.weir.api.config;
