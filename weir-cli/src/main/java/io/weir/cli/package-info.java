/**
 * The {@code weir} command line (picocli): {@link io.weir.cli.WeirCommand} and its options shared
 * by every command. The commands themselves are in {@code io.weir.cli.command}.
 */
package io.weir.cli;
