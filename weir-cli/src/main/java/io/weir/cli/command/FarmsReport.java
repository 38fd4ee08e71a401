package io.weir.cli.command;

import io.weir.api.http.StoredContext;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import io.weir.modules.proxy.FarmServer;
import io.weir.modules.proxy.ServerFarm;
import io.weir.modules.proxy.ServerFarms;
import io.weir.server.AdminReport;
import java.util.Comparator;
import java.util.Locale;

/**
 * The admin endpoint's {@code /farms}: the live state of the reverse proxy's web farms, which the
 * ApplicationRequestRouting module keeps in the server's module context container. One line per
 * server of each farm a request (or a health check) has used since the server started: farm,
 * address, port, weight, state, requests in flight (current connections), requests, failures,
 * health-check failures, average response time in milliseconds.
 */
public final class FarmsReport implements AdminReport {

    /** The header line of the report. */
    static final String HEADER = "farm\taddress\thttpPort\tweight\tstate\tcurrentRequests\trequests\tfailures"
            + "\thealthCheckFailures\tavgResponseMillis\n";

    /** Creates the report; ServiceLoader needs a public no-argument constructor. */
    public FarmsReport() {}

    @Override
    public String path() {
        return "/farms";
    }

    @Override
    public String tsv(WeirEngine engine) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (StoredContext stored : EngineInspection.of(engine).serverStoredContexts()) {
            if (!(stored instanceof ServerFarms farms)) {
                continue;
            }
            for (ServerFarm farm : farms.farms().stream()
                    .sorted(Comparator.comparing(ServerFarm::name))
                    .toList()) {
                for (FarmServer s : farm.servers()) {
                    sb.append(farm.name())
                            .append('\t')
                            .append(s.address())
                            .append('\t')
                            .append(s.httpPort())
                            .append('\t')
                            .append(s.weight())
                            .append('\t')
                            .append(s.state())
                            .append('\t')
                            .append(s.inFlight())
                            .append('\t')
                            .append(s.requests())
                            .append('\t')
                            .append(s.failures())
                            .append('\t')
                            .append(s.healthCheckFailures())
                            .append('\t')
                            .append(String.format(Locale.ROOT, "%.1f", s.averageResponseMicros() / 1000.0))
                            .append('\n');
                }
            }
        }
        return sb.toString();
    }
}
