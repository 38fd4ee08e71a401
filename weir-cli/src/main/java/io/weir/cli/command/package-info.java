/**
 * The subcommands of {@code weir}, one class each: {@code serve}, {@code list modules},
 * {@code list sites} and {@code explain}; {@code add}, {@code set} and {@code install} later.
 * {@link io.weir.cli.command.ConfigOptions} holds the options every one of them shares for choosing
 * the configuration.
 */
package io.weir.cli.command;
