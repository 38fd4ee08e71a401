package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.server.AdminEndpoint;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weir list cache}: the entries of a running server's caches with their hits and sizes, as
 * {@code netsh http show cachestate} lists http.sys's response cache: the kernel-style cache of
 * the transport and HttpCacheModule's output cache. Reads {@code /cache} on the server's local
 * {@link AdminEndpoint} (started when the JVM has {@code -Dweir.admin.port=N}) with the token from
 * the token file.
 */
@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the entries of a running server's kernel-style cache and output cache, with hits and sizes.",
            "The server must run with the admin endpoint on, e.g."
                    + " WEIR_JAVA_OPTS=-Dweir.admin.port=18999 weir serve."
        },
        sortOptions = false)
public final class ListCacheCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Mixin
    private AdminEndpointOptions admin;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return admin.report(out, err, "/cache", ListCacheCommand::print);
    }

    /**
     * Prints one {@code CACHE} line per cache with its figures, then one {@code ENTRY} line per entry.
     */
    static void print(String tsv, PrintWriter out) {
        String[] lines = tsv.split("\n");
        int entries = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] c = lines[i].split("\t", -1);
            if (c.length < 6) {
                continue;
            }
            if (c[1].equals("*")) {
                out.println("CACHE \"" + c[0] + "\" (entries:" + c[2] + ",bytes:" + c[3] + ",hits:" + c[4] + ",misses:"
                        + c[5] + ")");
            } else {
                entries++;
                out.println("  ENTRY \"" + c[2] + "\" (cache:" + c[0] + (c[1].isEmpty() ? "" : ",site:" + c[1])
                        + ",bytes:" + c[3] + ",hits:" + c[4] + ",until:" + c[5] + ")");
            }
        }
        if (entries == 0) {
            out.println("No response is cached.");
        }
    }
}
