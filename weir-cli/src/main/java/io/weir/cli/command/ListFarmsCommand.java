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
 * {@code weir list farms}: the web farms of a running server's reverse proxy, each server with its
 * state (healthy, unhealthy, draining, disabled) and counters (current requests, requests,
 * failures, health-check failures, average response time), as ARR's monitoring view in IIS Manager
 * shows them. Reads {@code /farms} on the server's local {@link AdminEndpoint} (started when the
 * JVM has {@code -Dweir.admin.port=N}) with the token from the token file. A farm is listed once a
 * request has been routed to it.
 */
@Command(
        name = "farms",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the web farms of a running server, with each server's state and counters.",
            "The server must run with the admin endpoint on, e.g."
                    + " WEIR_JAVA_OPTS=-Dweir.admin.port=18999 weir serve."
        },
        sortOptions = false)
public final class ListFarmsCommand implements Callable<Integer> {

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
        return admin.report(out, err, "/farms", ListFarmsCommand::print);
    }

    /** Prints the report's lines as {@code FARM "name"} followed by one {@code SERVER} line per server. */
    static void print(String tsv, PrintWriter out) {
        String[] lines = tsv.split("\n");
        String farm = null;
        int servers = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] c = lines[i].split("\t", -1);
            if (c.length < 10) {
                continue;
            }
            if (!c[0].equals(farm)) {
                farm = c[0];
                out.println("FARM \"" + farm + "\"");
            }
            servers++;
            out.println("  SERVER \"" + c[1] + ":" + c[2] + "\" (state:" + c[4] + ",weight:" + c[3]
                    + ",currentRequests:" + c[5] + ",requests:" + c[6] + ",failures:" + c[7]
                    + ",healthCheckFailures:" + c[8] + ",avgResponseMs:" + c[9] + ")");
        }
        if (servers == 0) {
            out.println("No web farm has been used since the server started.");
        }
    }
}
