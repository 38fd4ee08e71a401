package io.weir.core;

import io.weir.api.http.DataChunk;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestLog;
import io.weir.core.internal.context.UrlPath;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteRouter;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a request enters the engine: it captures the current generation, normalizes the
 * URL, routes the request to its site (unless the caller already knows it), raises
 * GL_PRE_BEGIN_REQUEST and runs the request's pipeline. Requests that never reach a site get
 * http.sys-style 400 answers. Runs on the request's event loop and never blocks.
 */
final class RequestEntry {

    private static final Logger LOG = LoggerFactory.getLogger(RequestEntry.class);

    private final WeirEngine engine;

    RequestEntry(WeirEngine engine) {
        this.engine = engine;
    }

    /**
     * Runs one request on the current generation, which the request keeps to its end.
     *
     * @param exchange the request, on its event loop
     * @param known    the site when the server makes the request itself (an application preload);
     *                 null to route it by local address and Host header
     */
    void handle(Exchange exchange, ServedSite known) {
        EngineGeneration g = engine.currentGeneration();
        while (!g.tryEnter()) {
            g = engine.currentGeneration();
        }
        String[] target = UrlPath.split(exchange.rawUri());
        String path = target == null ? null : UrlPath.normalize(target[0]);
        if (path == null) {
            answerDirectly(g, exchange, 400, "Bad Request", "Bad Request - Invalid URL");
            return;
        }
        ServedSite site = known;
        if (site == null) {
            SiteRouter router = g.router;
            site = router.route(
                    exchange.localAddress(),
                    router.needsHostHeader() ? exchange.requestHeaders().get("Host") : null);
            if (site == null) {
                answerDirectly(g, exchange, 400, "Bad Request", "Bad Request - Invalid Hostname");
                return;
            }
        }
        run(g, exchange, site, path, target[1]);
    }

    private void run(EngineGeneration g, Exchange exchange, ServedSite site, String path, String query) {
        RequestContext context = RequestContext.create(g, exchange, site, path, query);
        try {
            GlobalNotifications.raisePreBeginRequest(g, context);
            context.run();
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            RequestLog.error(LOG, context, "the engine failed on {}; the connection is dropped", context.describe(), e);
            exchange.abort();
            if (context.pipeline() != null) {
                context.pipeline().abandon();
            }
            if (context.pipeline() == null || !context.pipeline().isDone()) {
                g.exit();
            }
        }
    }

    /** http.sys-style answers for requests that never reach a site's pipeline. */
    private void answerDirectly(EngineGeneration g, Exchange exchange, int status, String reason, String text) {
        byte[] body = ("<!DOCTYPE html><html><head><title>" + text + "</title></head><body><h2>" + text
                        + "</h2><hr><p>HTTP Error " + status + ".</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            exchange.write(
                    new ResponseHead(
                            status,
                            reason,
                            List.of(
                                    Map.entry("Content-Type", "text/html; charset=us-ascii"),
                                    Map.entry("Server", EngineServices.SERVER_SOFTWARE)),
                            body.length,
                            true),
                    exchange.method().equals("HEAD") ? List.of() : List.of(DataChunk.ofBytes(body)),
                    true);
        } finally {
            g.exit();
            engine.observeRequestEnded(exchange, null);
        }
    }
}
