/**
 * The providers handed to notification methods, one interface per IIS provider
 * (IAuthenticationProvider, ISendResponseProvider, IGlobalConfigurationChangeProvider, ...).
 *
 * <p>Threads: a provider is valid only during the call it was passed to, on that call's thread.
 */
package io.weir.api.provider;
