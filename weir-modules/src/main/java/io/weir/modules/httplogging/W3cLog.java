package io.weir.modules.httplogging;

import io.weir.api.HttpServer;
import io.weir.api.ModuleId;
import io.weir.api.cache.KernelCacheHit;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.StoredContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server-wide state of HttpLoggingModule: the writer, the clock, and the lookup of each site's
 * {@link SiteLog}; formats the line of a request. Thread-safe.
 */
final class W3cLog {

    private static final System.Logger LOG = System.getLogger("io.weir.modules.httplogging");
    /**
     * For a request whose URL a module changed, the server variables naming the URL path and query
     * to log instead of the current ones (URL Rewrite sets them to the original URL unless its
     * action has {@code logRewrittenUrl="true"}); when unset, the current URL is logged.
     */
    private static final String LOGGED_STEM = "WEIR_LOG_URI_STEM";

    private static final String LOGGED_QUERY = "WEIR_LOG_URI_QUERY";

    private final ModuleId moduleId;
    private final Clock clock;
    private final LogWriter writer;
    private final String computerName;
    private final Object creation = new Object();
    private final Map<Long, SiteLog> bySite = new ConcurrentHashMap<>();
    private final AtomicBoolean hearingKernelHits = new AtomicBoolean();

    /**
     * @param moduleId the module's id, the key of its {@link SiteLog} in each site's container
     * @param clock    the wall clock of the {@code date}/{@code time} fields and of rollover
     * @param writer   the writer
     */
    W3cLog(ModuleId moduleId, Clock clock, LogWriter writer) {
        this.moduleId = moduleId;
        this.clock = clock;
        this.writer = writer;
        this.computerName = computerName();
    }

    /** @return the writer */
    LogWriter writer() {
        return writer;
    }

    /**
     * Returns the log of the request's site, creating it from the configuration the first time.
     *
     * @param context the request
     * @return the site's log; {@link SiteLog#NONE} when the site writes no W3C file
     */
    SiteLog siteLog(HttpContext context) {
        HttpModuleContextContainer container = context.site().moduleContextContainer();
        Optional<StoredContext> stored = container.moduleContext(moduleId);
        if (stored.isPresent()) {
            return (SiteLog) stored.get();
        }
        synchronized (creation) {
            stored = container.moduleContext(moduleId);
            if (stored.isPresent()) {
                return (SiteLog) stored.get();
            }
            SiteLog log = create(context);
            container.setModuleContext(log, moduleId);
            bySite.put(context.site().siteId(), log);
            return log;
        }
    }

    private static SiteLog create(HttpContext context) {
        long siteId = context.site().siteId();
        String site = "site '" + context.site().siteName() + "' (id " + siteId + ")";
        CentralLogSection central = context.config(CentralLogSection.SECTION);
        LogFileSettings settings = context.config(SiteLogSettings.SECTION).forSite(siteId);
        if (!settings.enabled()) {
            LOG.log(Level.INFO, "HttpLoggingModule: logging is disabled for " + site);
            return SiteLog.NONE;
        }
        switch (settings.logFormat()) {
            case W3C -> {}
            case CUSTOM -> {
                LOG.log(
                        Level.INFO,
                        "HttpLoggingModule: " + site + " uses logFormat Custom; a custom logging module "
                                + "writes its log");
                return SiteLog.NONE;
            }
            default -> {
                LOG.log(
                        Level.WARNING,
                        "HttpLoggingModule: logFormat " + settings.logFormat() + " of " + site
                                + " is not implemented (only W3C is); nothing is logged for it");
                return SiteLog.NONE;
            }
        }
        if (!settings.logToFile()) {
            LOG.log(
                    Level.WARNING,
                    "HttpLoggingModule: logTargetW3C of " + site + " does not include File and Weir "
                            + "has no ETW; nothing is logged for it");
            return SiteLog.NONE;
        }
        if (central.centralLogFileMode() != CentralLogSection.CentralLogFileMode.SITE) {
            LOG.log(
                    Level.WARNING,
                    "HttpLoggingModule: centralLogFileMode " + central.centralLogFileMode() + " is not implemented; "
                            + site + " is logged in its own file");
        }
        SiteLog log = new SiteLog(siteId, settings, central.logInUtf8());
        LOG.log(Level.INFO, "HttpLoggingModule: " + site + " logs to " + log.folder());
        return log;
    }

    /**
     * Tells whether a request of this URL would be logged with a status, from the site's log and
     * {@code httpLogging}.
     *
     * @param context the request
     * @param log     the site's log
     * @return true when a line would be written
     */
    static boolean logs(HttpContext context, SiteLog log) {
        return log.enabled() && !context.config(HttpLoggingSection.SECTION).dontLog();
    }

    /**
     * Formats the request's line into the calling thread's block of lines, on the event loop: no
     * String, no queue entry and no wake-up per line (see {@link LogWriter}).
     *
     * @param context    the request, in LOG_REQUEST
     * @param log        the site's log
     * @param startNanos {@link System#nanoTime()} when the request began
     * @return null, or a complete block the writer had no room for: the caller hands it to
     *         {@link LogWriter#put} off the event loop
     */
    LogChunk append(HttpContext context, SiteLog log, long startNanos) {
        LogWriter.Slot slot = writer.slot();
        LogChunk complete;
        synchronized (slot) {
            W3cLine line = slot.line();
            long millis = format(line, context, log, startNanos);
            complete = writer.add(slot, log, millis);
        }
        if (complete == null || writer.offer(complete)) {
            return null;
        }
        return complete;
    }

    /**
     * Starts hearing of the kernel-style cache's hits (once), so that every request it answers
     * gets its line as http.sys logs its cache hits.
     *
     * @param server the server whose cache to listen to
     */
    void hearKernelHits(HttpServer server) {
        if (!hearingKernelHits.get()) {
            server.kernelResponseCache().ifPresent(cache -> {
                if (hearingKernelHits.compareAndSet(false, true)) {
                    cache.addHitListener(this::logHit);
                }
            });
        }
    }

    /** Writes the line of a request the kernel-style cache answered, on its event loop (never blocks). */
    void logHit(KernelCacheHit hit) {
        SiteLog log = bySite.get(hit.entry().siteId());
        if (log == null || !log.enabled()) {
            return;
        }
        LogWriter.Slot slot = writer.slot();
        LogChunk complete;
        synchronized (slot) {
            W3cLine line = slot.line();
            long millis = clock.millis();
            line.reset(log.utf8());
            LogField[] fields = log.fields();
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    line.ascii(' ');
                }
                switch (fields[i]) {
                    case DATE -> line.ascii(W3cFormat.date(millis));
                    case TIME -> line.ascii(W3cFormat.time(millis));
                    case SITE_NAME -> line.value(log.siteName());
                    case COMPUTER_NAME -> line.value(computerName);
                    case SERVER_IP -> line.address(address(hit.localAddress()));
                    case METHOD -> line.value(hit.method());
                    case URI_STEM -> line.value(hit.entry().urlPath());
                    case URI_QUERY -> line.value(hit.entry().queryString());
                    case SERVER_PORT -> line.number(port(hit.localAddress()));
                    case USER_NAME -> line.value(null);
                    case CLIENT_IP -> line.address(address(hit.remoteAddress()));
                    case PROTOCOL_VERSION -> line.value(hit.httpVersion());
                    case USER_AGENT -> line.value(hit.requestHeader().apply("User-Agent"));
                    case COOKIE -> line.value(hit.requestHeader().apply("Cookie"));
                    case REFERER -> line.value(hit.requestHeader().apply("Referer"));
                    case HOST -> line.value(hit.requestHeader().apply("Host"));
                    case HTTP_STATUS -> line.number(hit.status());
                    case HTTP_SUB_STATUS, WIN32_STATUS -> line.ascii('0');
                    case BYTES_SENT -> line.number(hit.bytesSent());
                    case BYTES_RECV -> line.number(hit.requestBytes());
                    case TIME_TAKEN -> line.number(hit.timeTakenMillis());
                }
            }
            line.truncate(log.maxLineLength());
            line.endLine();
            complete = writer.add(slot, log, millis);
        }
        if (complete != null && !writer.offer(complete)) {
            writer.enqueueLast(complete);
        }
    }

    /**
     * Formats the request's line, CR LF included, into {@code line}.
     *
     * @param line       the line to fill (emptied first)
     * @param context    the request, in LOG_REQUEST
     * @param log        the site's log
     * @param startNanos {@link System#nanoTime()} when the request began
     * @return the line's instant, epoch milliseconds
     */
    long format(W3cLine line, HttpContext context, SiteLog log, long startNanos) {
        long millis = clock.millis();
        long takenMillis = Math.max(0, (System.nanoTime() - startNanos) / 1_000_000);
        line.reset(log.utf8());
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        LogField[] fields = log.fields();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.ascii(' ');
            }
            switch (fields[i]) {
                case DATE -> line.ascii(W3cFormat.date(millis));
                case TIME -> line.ascii(W3cFormat.time(millis));
                case SITE_NAME -> line.value(log.siteName());
                case COMPUTER_NAME -> line.value(computerName);
                case SERVER_IP -> line.address(address(request.localAddress()));
                case METHOD -> line.value(request.method());
                case URI_STEM ->
                    line.value(
                            request.urlChanged()
                                    ? context.serverVariable(LOGGED_STEM).orElse(request.urlPath())
                                    : request.urlPath());
                case URI_QUERY ->
                    line.value(
                            request.urlChanged()
                                    ? context.serverVariable(LOGGED_QUERY).orElse(request.queryString())
                                    : request.queryString());
                case SERVER_PORT -> line.number(port(request.localAddress()));
                case USER_NAME ->
                    line.value(context.user().map(u -> u.userName()).orElse(null));
                case CLIENT_IP -> line.address(address(request.remoteAddress()));
                case PROTOCOL_VERSION -> line.value(request.httpVersion());
                case USER_AGENT -> line.value(request.header("User-Agent").orElse(null));
                case COOKIE -> line.value(request.header("Cookie").orElse(null));
                case REFERER -> line.value(request.header("Referer").orElse(null));
                case HOST -> line.value(request.header("Host").orElse(null));
                case HTTP_STATUS -> line.number(response.statusCode());
                case HTTP_SUB_STATUS -> line.number(response.status().subStatus());
                case WIN32_STATUS -> line.ascii('0');
                case BYTES_SENT -> line.number(bytesSent(response));
                case BYTES_RECV -> line.number(bytesReceived(request));
                case TIME_TAKEN -> line.number(takenMillis);
            }
        }
        CustomField[] custom = log.customFields();
        for (int i = 0; i < custom.length; i++) {
            if (fields.length > 0 || i > 0) {
                line.ascii(' ');
            }
            line.value(custom[i].value(context));
        }
        line.truncate(log.maxLineLength());
        line.endLine();
        return millis;
    }

    private static InetAddress address(InetSocketAddress socket) {
        return socket == null ? null : socket.getAddress();
    }

    private static int port(InetSocketAddress socket) {
        return socket == null ? 0 : socket.getPort();
    }

    /**
     * {@code sc-bytes}: the status line and the headers the response holds (the transport's own
     * {@code Date}, {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} are not
     * counted) plus the entity bytes sent.
     */
    private static long bytesSent(HttpResponse response) {
        long head = "HTTP/1.1 200 \r\n".length() + response.status().reason().length() + 2;
        List<String> names = response.headerNames();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            head += name.length()
                    + 2
                    + response.header(name).map(String::length).orElse(0)
                    + 2;
        }
        return head + response.bytesSent();
    }

    /**
     * {@code cs-bytes}: the request line and headers as the request holds them (after any module
     * changed them) plus the entity length.
     */
    private static long bytesReceived(HttpRequest request) {
        long total = request.method().length()
                + 1
                + request.rawUrl().length()
                + 1
                + request.httpVersion().length()
                + 2;
        List<String> names = request.headerNames();
        long entity = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            for (String value : request.headers(name)) {
                total += name.length() + 2 + value.length() + 2;
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    entity = Long.parseLong(request.header(name).orElse("0").trim());
                } catch (NumberFormatException e) {
                    entity = 0;
                }
            }
        }
        return total + 2 + entity;
    }

    private static String computerName() {
        String name = System.getenv("COMPUTERNAME");
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                name = "";
            }
        }
        return name;
    }

    /**
     * The server's {@code #Software} directive value.
     *
     * @param server the server
     * @return its software name, for example {@code Weir/0.1}
     */
    static String software(HttpServer server) {
        return server.serverSoftware();
    }
}
