/**
 * The subcommands of {@code weir}, one class each: {@code serve} today; {@code list},
 * {@code add}, {@code set}, {@code explain} and {@code install} later.
 */
package io.weir.cli.command;
