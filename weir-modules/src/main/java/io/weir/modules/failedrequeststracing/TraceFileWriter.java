package io.weir.modules.failedrequeststracing;

import io.weir.api.trace.TraceConfiguration;
import io.weir.api.trace.TraceEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Writes failed-request trace files: {@code <directory>/W3SVC<siteId>/frNNNNNN.html}, numbered on
 * from the highest number already in the folder (IIS: {@code frNNNNNN.xml} in the same folder), and
 * deletes the oldest files beyond {@code maxLogFiles}. Runs on the blocking executor, never on an
 * event loop. Thread-safe.
 *
 * <p>The page is self-contained HTML: a summary (URL, verb, site, final status, time taken,
 * failure reason and the rule's path), the request notifications (a row per notification the
 * request entered, NOTIFICATION_START, then one per module call, NOTIFY_MODULE_END or
 * NOTIFY_MODULE_COMPLETION: notification, module, status returned, HTTP status after it, elapsed
 * milliseconds) and every
 * recorded event with its offset from the first and its data. Events are those the rule's
 * {@code traceAreas} select (with no {@code traceAreas}, all).
 */
final class TraceFileWriter {

    private static final System.Logger LOG = System.getLogger(TraceFileWriter.class.getName());

    private final Map<Path, AtomicInteger> sequences = new ConcurrentHashMap<>();

    /**
     * One failed request to write.
     *
     * @param verb     the verb
     * @param url      the URL as received
     * @param siteName the site's name
     * @param siteId   the site's id
     * @param requestId the request id (the REQUEST_ID server variable)
     * @param rule     the rule that failed it
     * @param reason   STATUS_CODE, TIME_TAKEN or VERBOSITY (IIS's failureReason values)
     * @param events   every event collected for it, in order
     */
    record Request(
            String verb,
            String url,
            String siteName,
            long siteId,
            String requestId,
            TraceFailedRequestsSection.Rule rule,
            String reason,
            List<TraceEvent> events) {}

    /**
     * Writes one trace file; reports I/O failures in the log and returns null.
     *
     * @param logging the site's settings
     * @param request the request
     * @return the file written, or null when it could not be written
     */
    Path write(TraceLoggingSettings.Logging logging, Request request) {
        Path folder = logging.directory().resolve("W3SVC" + request.siteId());
        try {
            Files.createDirectories(folder);
            AtomicInteger sequence = sequences.computeIfAbsent(folder, TraceFileWriter::highestNumber);
            String html = render(request);
            Path file;
            while (true) {
                file = folder.resolve(String.format(Locale.ROOT, "fr%06d.html", sequence.incrementAndGet()));
                try {
                    Files.writeString(
                            file,
                            html,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    break;
                } catch (FileAlreadyExistsException e) {
                    // another process or a restarted server wrote this number: take the next
                }
            }
            prune(folder, logging.maxLogFiles());
            return file;
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "cannot write the failed-request trace of " + request.verb() + " " + request.url() + " in "
                            + folder,
                    e);
            return null;
        }
    }

    private static AtomicInteger highestNumber(Path folder) {
        int highest = 0;
        for (Path f : traceFiles(folder)) {
            highest = Math.max(highest, number(f));
        }
        return new AtomicInteger(highest);
    }

    private static int number(Path file) {
        String name = file.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(2, name.length() - ".html".length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Path> traceFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("fr\\d{6,}\\.html"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void prune(Path folder, int max) throws IOException {
        List<Path> files = new ArrayList<>(traceFiles(folder));
        if (files.size() <= max) {
            return;
        }
        files.sort((a, b) -> Integer.compare(number(a), number(b)));
        for (Path old : files.subList(0, files.size() - max)) {
            Files.deleteIfExists(old);
        }
    }

    /**
     * Renders the page.
     *
     * @param r the request
     * @return the HTML
     */
    static String render(Request r) {
        List<TraceEvent> events = selected(r);
        TraceEvent end = null;
        for (TraceEvent e : r.events()) {
            if (e.name().equals("GENERAL_REQUEST_END")) {
                end = e;
            }
        }
        Instant first = r.events().isEmpty() ? Instant.EPOCH : r.events().get(0).timestamp();
        String status = end == null
                ? "?"
                : end.items().get("HttpStatus") + "." + end.items().get("HttpSubStatus");
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Failed request: ")
                .append(esc(r.verb()))
                .append(' ')
                .append(esc(r.url()))
                .append(" &rarr; ")
                .append(esc(status))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;"
                        + "margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;"
                        + "vertical-align:top;font-size:90%}th{background:#eee}.w{background:#fff3cd}"
                        + ".e{background:#f8d7da}code{white-space:pre-wrap}</style>\n</head><body>\n")
                .append("<h1>Failed request trace</h1>\n<table class=\"summary\">\n");
        row(h, "URL", r.url());
        row(h, "Verb", r.verb());
        row(h, "Site", r.siteName() + " (W3SVC" + r.siteId() + ")");
        row(h, "Request id", r.requestId());
        row(h, "Status", status);
        row(h, "Time taken (ms)", end == null ? "?" : end.items().getOrDefault("TimeTakenMs", "?"));
        row(h, "Bytes sent", end == null ? "?" : end.items().getOrDefault("BytesSent", "?"));
        row(h, "Failure reason", r.reason());
        row(h, "Rule path", r.rule().path());
        row(h, "Trace written", Instant.now().toString());
        h.append("</table>\n<h2>Request notifications</h2>\n<table class=\"notifications\">\n<tr><th>#</th>"
                + "<th>Notification</th><th>Module</th><th>Status returned</th><th>HTTP status after</th>"
                + "<th>Elapsed (ms)</th></tr>\n");
        int n = 0;
        for (TraceEvent e : r.events()) {
            if (e.name().equals("NOTIFICATION_START")) {
                Map<String, String> i = e.items();
                String notification =
                        (Boolean.parseBoolean(i.getOrDefault("fIsPostNotification", "false")) ? "POST_" : "")
                                + i.getOrDefault("Notification", "");
                String count = i.getOrDefault("ModuleCount", "0");
                h.append("<tr class=\"stage\"><td></td><td><b>")
                        .append(esc(notification))
                        .append("</b></td>")
                        .append("<td colspan=\"4\">")
                        .append(
                                count.equals("0")
                                        ? "no module"
                                        : count.equals("1") ? "1 module" : esc(count) + " modules")
                        .append("</td></tr>\n");
            } else if (e.name().equals("NOTIFY_MODULE_END") || e.name().equals("NOTIFY_MODULE_COMPLETION")) {
                Map<String, String> i = e.items();
                boolean post = Boolean.parseBoolean(i.getOrDefault("fIsPostNotification", "false"));
                String notification = i.getOrDefault("Notification", "");
                if (post && !notification.startsWith("POST_")) {
                    notification = "POST_" + notification;
                }
                if (e.name().equals("NOTIFY_MODULE_COMPLETION")) {
                    notification += " (completion)";
                }
                h.append("<tr><td>")
                        .append(++n)
                        .append("</td><td>")
                        .append(esc(notification))
                        .append("</td><td>")
                        .append(esc(i.getOrDefault("ModuleName", "")))
                        .append("</td><td>")
                        .append(esc(i.getOrDefault("NotificationStatus", "")))
                        .append("</td><td>")
                        .append(esc(i.getOrDefault("HttpStatus", "")))
                        .append("</td><td>")
                        .append(esc(i.getOrDefault("ElapsedMs", "")))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n<h2>Events</h2>\n<table class=\"events\">\n<tr><th>#</th><th>+ms</th><th>Event</th>"
                + "<th>Provider / area</th><th>Verbosity</th><th>Data</th></tr>\n");
        n = 0;
        for (TraceEvent e : events) {
            String css = e.verbosity().ordinal() == 3
                    ? " class=\"w\""
                    : e.verbosity().ordinal() == 1 || e.verbosity().ordinal() == 2 ? " class=\"e\"" : "";
            h.append("<tr")
                    .append(css)
                    .append("><td>")
                    .append(++n)
                    .append("</td><td>")
                    .append(String.format(
                            Locale.ROOT,
                            "%.3f",
                            Duration.between(first, e.timestamp()).toNanos() / 1e6))
                    .append("</td><td>")
                    .append(esc(e.name()))
                    .append("</td><td>")
                    .append(esc(e.provider()))
                    .append(" / ")
                    .append(esc(e.area()))
                    .append("</td><td>")
                    .append(e.verbosity())
                    .append("</td><td><code>");
            boolean firstItem = true;
            for (Map.Entry<String, String> item : e.items().entrySet()) {
                if (!firstItem) {
                    h.append('\n');
                }
                firstItem = false;
                h.append(esc(item.getKey()))
                        .append("=\"")
                        .append(esc(item.getValue()))
                        .append('"');
            }
            h.append("</code></td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static List<TraceEvent> selected(Request r) {
        List<TraceConfiguration> areas = r.rule().traceAreas();
        if (areas.isEmpty()) {
            return r.events();
        }
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : r.events()) {
            for (TraceConfiguration c : areas) {
                if (c.matches(e)) {
                    out.add(e);
                    break;
                }
            }
        }
        return out;
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>")
                .append(esc(name))
                .append("</th><td>")
                .append(esc(value))
                .append("</td></tr>\n");
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '?' : c);
            }
        }
        return b.toString();
    }
}
