package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.server.AdminEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir list requests}: the requests a running server has in flight, with the notification,
 * module, state and time each is in, and the server's runtime status (generation, requests in
 * flight and ended, event-loop overruns), in the spirit of {@code appcmd list requests}. Reads the
 * server's local {@link AdminEndpoint} (started by {@code weir serve} when the JVM has
 * {@code -Dweir.admin.port=N}) with the token from the token file.
 */
@Command(
        name = "requests",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the requests a running server has in flight, and its runtime status.",
            "The server must run with the admin endpoint on, e.g."
                    + " WEIR_JAVA_OPTS=-Dweir.admin.port=18999 weir serve."
        },
        sortOptions = false)
public final class ListRequestsCommand implements Callable<Integer> {

    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\": (\\d+)");

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Mixin
    private AdminEndpointOptions admin;

    @Option(names = "--json", description = "Print the endpoint's JSON instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return admin.call(err, endpoint -> {
            String status = get(endpoint, "/status");
            if (status == null) {
                return AdminEndpointOptions.refused(err, endpoint);
            }
            if (json) {
                out.println(get(endpoint, "/requests"));
                out.flush();
                return 0;
            }
            String tsv = get(endpoint, "/requests?format=tsv");
            out.println(statusLine(status));
            String[] lines = tsv == null ? new String[0] : tsv.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].split("\t", -1);
                if (c.length < 8) {
                    continue;
                }
                out.println("REQUEST \"" + c[1] + " " + c[2] + "\" (site:" + c[3] + ",time:" + c[0]
                        + " msec,notification:" + c[4] + (c[5].isEmpty() ? "" : ",module:" + c[5]) + ",state:" + c[6]
                        + ",thread:" + c[7] + ")");
            }
            if (lines.length <= 1) {
                out.println("No request in flight.");
            }
            out.flush();
            return 0;
        });
    }

    /** @return the body, or null for a 401 */
    private static String get(AdminEndpointOptions.Endpoint endpoint, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> r = endpoint.get(path);
        if (r.statusCode() == 401) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Formats the /status JSON as {@code STATUS (generation:1,requestsInFlight:0,...)}. */
    static String statusLine(String statusJson) {
        StringBuilder sb = new StringBuilder("STATUS (");
        Matcher m = NUMBER.matcher(statusJson);
        boolean first = true;
        while (m.find()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(m.group(1)).append(':').append(m.group(2));
        }
        return sb.append(')').toString();
    }
}
