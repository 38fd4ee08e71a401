package io.weir.modules.httplogging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.testkit.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HttpLoggingModule over loopback: what a real server writes for real requests. */
class HttpLoggingModuleHttpTest {

    private static final String IIS_FIELDS = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
            + "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(root.resolve("a b.txt"), "spaced");
        Files.writeString(root.resolve("café.txt"), "accent");
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.createDirectories(root.resolve("quiet"));
        Files.writeString(root.resolve("quiet/q.txt"), "quiet");
        Files.writeString(root.resolve("big.txt"), "x".repeat(100));
        Files.writeString(root.resolve("data.unknownext"), "no mime map");
    }

    @AfterEach
    void reset() {
        TestLoggingRegistration.reset();
    }

    /** Waits until the writer has taken {@code n} lines (so their LOG_REQUEST has run). */
    private static void awaitWritten(long n) throws InterruptedException {
        LogWriter writer = TestLoggingRegistration.last.log().writer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (writer.written() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(writer.written()).isGreaterThanOrEqualTo(n);
    }

    private static LoggingSite start(Path root, Path logs, String logFile) {
        return LoggingSite.start(root, logs, logFile, "", "");
    }

    @Test
    void writesIisDirectivesAndDefaultFieldsInIisOrder() {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-05T10:11:12.345Z"));
        TestLoggingRegistration.clock = clock;
        int port;
        try (LoggingSite site = start(root, logs, "")) {
            port = site.server.port();
            HttpResponse<String> r = site.get(
                    "/a%20b.txt?x=1&y=a+b",
                    "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)", "Referer", "http://example.com/from here");
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(TestLoggingRegistration.last).isNotNull();
        List<String> files = new LogFolder(logs).files();
        assertThat(files).containsExactly("u_ex240305.log");
        List<String> lines = new LogFolder(logs).lines("u_ex240305.log");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("#Software: Weir");
        assertThat(lines.get(1)).isEqualTo("#Version: 1.0");
        assertThat(lines.get(2)).isEqualTo("#Date: 2024-03-05 10:11:12");
        assertThat(lines.get(3)).isEqualTo(IIS_FIELDS);
        String[] f = lines.get(4).split(" ");
        assertThat(f).hasSize(15);
        assertThat(lines.get(4))
                .matches("2024-03-05 10:11:12 127\\.0\\.0\\.1 GET /a\\+b\\.txt x=1&y=a\\+b " + port
                        + " - 127\\.0\\.0\\.1 Mozilla/5\\.0\\+\\(X11;\\+Linux\\+x86_64\\) http://example\\.com/from\\+here"
                        + " 200 0 0 \\d+");
    }

    @Test
    void nonAsciiUrlsAreWrittenInUtf8AndEmptyValuesAsDash() throws Exception {
        try (LoggingSite site = start(root, logs, "")) {
            assertThat(site.get("/caf%C3%A9.txt").statusCode()).isEqualTo(200);
            // no User-Agent, no Referer, no query string
            RawHttp.Response raw = RawHttp.exchange(
                    site.server.port(), "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(raw.status()).isEqualTo(200);
            assertThat(site.get("/missing.txt").statusCode()).isEqualTo(404);
            assertThat(site.get("/data.unknownext").statusCode()).isEqualTo(404);
        }
        LogFolder files = new LogFolder(logs);
        byte[] raw = Files.readAllBytes(files.folder().resolve(files.files().get(0)));
        String text = new String(raw, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n").doesNotContain("\r\n\r\n");
        List<String> entries = files.entries();
        assertThat(entries).hasSize(4);
        // A line is written at LOG_REQUEST, after the response went out, so the client may send its
        // next request first: find each line by its cs-uri-stem, not by its position.
        assertThat(entries)
                .extracting(e -> e.split(" ")[4])
                .containsExactlyInAnyOrder("/café.txt", "/hello.txt", "/missing.txt", "/data.unknownext");
        assertThat(text).contains("/caf\u00e9.txt");
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).contains("/caf\u00c3\u00a9.txt"); // UTF-8 bytes
        String[] bare = entry(entries, "/hello.txt");
        assertThat(bare[5]).isEqualTo("-"); // cs-uri-query
        assertThat(bare[7]).isEqualTo("-"); // cs-username
        assertThat(bare[9]).isEqualTo("-"); // cs(User-Agent)
        assertThat(bare[10]).isEqualTo("-"); // cs(Referer)
        String[] missing = entry(entries, "/missing.txt");
        assertThat(missing[11] + "." + missing[12]).isEqualTo("404.0");
        String[] unmapped = entry(entries, "/data.unknownext");
        assertThat(unmapped[11] + "." + unmapped[12]).isEqualTo("404.3");
    }

    /** The fields of the one entry whose cs-uri-stem is {@code stem}. */
    private static String[] entry(List<String> entries, String stem) {
        List<String[]> found = entries.stream()
                .map(e -> e.split(" "))
                .filter(f -> f[4].equals(stem))
                .toList();
        assertThat(found).as("entries for %s", stem).hasSize(1);
        return found.get(0);
    }

    @Test
    void logExtFileFlagsChoosesTheFieldsInIisOrder() {
        try (LoggingSite site = start(
                root,
                logs,
                "logExtFileFlags=\"HttpStatus, UriStem, Method, Date, Time, BytesSent, Host, ProtocolVersion, SiteName\"")) {
            assertThat(site.get("/big.txt").statusCode()).isEqualTo(200);
        }
        LogFolder files = new LogFolder(logs);
        List<String> lines = files.lines(files.files().get(0));
        assertThat(lines.get(3))
                .isEqualTo("#Fields: date time s-sitename cs-method cs-uri-stem cs-version cs-host "
                        + "sc-status sc-bytes");
        String[] f = lines.get(4).split(" ");
        assertThat(f).hasSize(9);
        assertThat(f[2]).isEqualTo("W3SVC7");
        assertThat(f[3]).isEqualTo("GET");
        assertThat(f[4]).isEqualTo("/big.txt");
        assertThat(f[5]).isEqualTo("HTTP/1.1");
        assertThat(f[6]).isEqualTo("127.0.0.1:" + f[6].substring(10));
        assertThat(f[7]).isEqualTo("200");
        assertThat(Long.parseLong(f[8])).isGreaterThan(100); // entity + status line + headers
    }

    @Test
    void numericFlagsAreAccepted() {
        // 1 + 2 + 256 + 1024 = Date, Time, UriStem, HttpStatus
        try (LoggingSite site = start(root, logs, "logExtFileFlags=\"1283\"")) {
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
        }
        LogFolder files = new LogFolder(logs);
        assertThat(files.lines(files.files().get(0)).get(3)).isEqualTo("#Fields: date time cs-uri-stem sc-status");
        assertThat(files.entries().get(0)).endsWith(" /hello.txt 200");
    }

    @Test
    void dontLogAndSelectiveLoggingLeaveRequestsOut() {
        String locations = """
                <location path="Logged/quiet"><system.webServer><httpLogging dontLog="true" /></system.webServer></location>
                <location path="Logged/errors"><system.webServer><httpLogging selectiveLogging="LogError" /></system.webServer></location>
                """;
        try (LoggingSite site = LoggingSite.start(root, logs, "", "", locations)) {
            assertThat(site.get("/quiet/q.txt").statusCode()).isEqualTo(200);
            assertThat(site.get("/quiet/missing.txt").statusCode()).isEqualTo(404);
            assertThat(site.get("/errors/missing.txt").statusCode()).isEqualTo(404);
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
        }
        List<String> entries = new LogFolder(logs).entries();
        assertThat(entries)
                .extracting(e -> e.split(" ")[4])
                .containsExactlyInAnyOrder("/errors/missing.txt", "/hello.txt"); // lines may race the next request
    }

    @Test
    void disabledLogFileWritesNothing() {
        try (LoggingSite site = start(root, logs, "enabled=\"false\"")) {
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
        }
        assertThat(Files.exists(logs.resolve("W3SVC7"))).isFalse();
    }

    @Test
    void aLogFileOutsideIisRangesIsRefusedWithFileAndLine() {
        // The typed schema checks truncateSize against IIS's range (1048576-4294967295) when the
        // file is read: the configuration is refused as a whole, as IIS refuses applicationHost.config.
        assertThatThrownBy(() -> start(root, logs, "period=\"MaxSize\" truncateSize=\"1000\""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("truncateSize")
                .hasMessageContaining("1048576")
                .satisfies(
                        e -> assertThat(((ConfigException) e).source().line()).isPositive());
        assertThat(Files.exists(logs.resolve("W3SVC7"))).isFalse();
    }

    @Test
    void dailyLogsRollOverAtUtcMidnight() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-05T23:59:59Z"));
        TestLoggingRegistration.clock = clock;
        try (LoggingSite site = start(root, logs, "")) {
            assertThat(site.get("/hello.txt?n=1").statusCode()).isEqualTo(200);
            awaitWritten(1); // LOG_REQUEST runs after the response went out: let it read the clock first
            clock.set(Instant.parse("2024-03-06T00:00:01Z"));
            assertThat(site.get("/hello.txt?n=2").statusCode()).isEqualTo(200);
            assertThat(site.get("/hello.txt?n=3").statusCode()).isEqualTo(200);
        }
        LogFolder files = new LogFolder(logs);
        assertThat(files.files()).containsExactly("u_ex240305.log", "u_ex240306.log");
        List<String> first = files.lines("u_ex240305.log");
        List<String> second = files.lines("u_ex240306.log");
        assertThat(first.get(2)).isEqualTo("#Date: 2024-03-05 23:59:59");
        assertThat(first.subList(4, first.size()))
                .singleElement()
                .asString()
                .startsWith("2024-03-05 23:59:59 ")
                .contains(" n=1 ");
        assertThat(second.get(2)).isEqualTo("#Date: 2024-03-06 00:00:01");
        assertThat(second.subList(4, second.size()))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains(" n=2 "))
                .anySatisfy(line -> assertThat(line).contains(" n=3 "));
    }

    @Test
    void hourlyNamesFollowThePeriod() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-05T10:59:59Z"));
        TestLoggingRegistration.clock = clock;
        try (LoggingSite site = start(root, logs, "period=\"Hourly\"")) {
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
            awaitWritten(1);
            clock.set(Instant.parse("2024-03-05T11:00:00Z"));
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
        }
        assertThat(new LogFolder(logs).files()).containsExactly("u_ex24030510.log", "u_ex24030511.log");
    }

    @Test
    void localTimeRolloverMovesTheBoundaryButNotTheUtcTimestamps() {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-05T10:00:00Z"));
        TestLoggingRegistration.clock = clock;
        try (LoggingSite site = start(root, logs, "localTimeRollover=\"true\"")) {
            assertThat(site.get("/hello.txt").statusCode()).isEqualTo(200);
        }
        String expected = LogFileNaming.timedName(
                LogFileSettings.LogPeriod.DAILY, true, Instant.parse("2024-03-05T10:00:00Z"), ZoneId.systemDefault());
        LogFolder files = new LogFolder(logs);
        assertThat(files.files()).containsExactly(expected);
        assertThat(files.entries().get(0)).startsWith("2024-03-05 10:00:00 ");
    }

    @Test
    void maxSizeLogsRollOverAtTruncateSize() {
        String agent = "A".repeat(4000);
        int requests = 300; // about 4 KB a line: more than 1 MiB in all
        try (LoggingSite site = start(root, logs, "period=\"MaxSize\" truncateSize=\"1048576\"")) {
            for (int i = 0; i < requests; i++) {
                assertThat(site.get("/hello.txt?i=" + i, "User-Agent", agent).statusCode())
                        .isEqualTo(200);
            }
        }
        LogFolder files = new LogFolder(logs);
        assertThat(files.files()).containsExactly("u_extend1.log", "u_extend2.log");
        long first = files.folder().resolve("u_extend1.log").toFile().length();
        assertThat(first).isLessThanOrEqualTo(1_048_576L).isGreaterThan(1_048_576L - 5000);
        assertThat(files.lines("u_extend2.log").get(0)).startsWith("#Software: ");
        assertThat(files.entries()).hasSize(requests);
        // a restart continues in the last file while it has room
        try (LoggingSite site = start(root, logs, "period=\"MaxSize\" truncateSize=\"1048576\"")) {
            assertThat(site.get("/hello.txt?again").statusCode()).isEqualTo(200);
        }
        assertThat(files.files()).containsExactly("u_extend1.log", "u_extend2.log");
        assertThat(files.entries()).hasSize(requests + 1).last().asString().contains(" again ");
    }

    @Test
    void everyRequestOfAConcurrentLoadIsLoggedOnceTheServerStops() throws Exception {
        int threads = 16;
        int perThread = 150;
        AtomicInteger answered = new AtomicInteger();
        LoggingSite site = start(root, logs, "");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (site.get("/hello.txt?t=" + thread + "&i=" + i).statusCode() == 200) {
                            answered.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            site.close();
        }
        assertThat(answered.get()).isEqualTo(threads * perThread);
        List<String> entries = new LogFolder(logs).entries();
        assertThat(entries).hasSize(threads * perThread);
        assertThat(entries.stream().map(l -> l.split(" ")[5]).distinct().count())
                .isEqualTo(threads * perThread);
    }

    @Test
    void aFullQueueHoldsRequestsBackOffTheEventLoopAndLosesNoLine() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        TestLoggingRegistration.capacity = 2;
        TestLoggingRegistration.gate = gate;
        String locations = """
                <location path="Logged/quiet"><system.webServer><httpLogging dontLog="true" /></system.webServer></location>
                """;
        int requests = 24;
        LoggingSite site = LoggingSite.start(root, logs, "", "", locations);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<Integer>> pending = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                int n = i;
                pending.add(pool.submit(() -> site.get("/hello.txt?n=" + n).statusCode()));
            }
            LogWriter writer = TestLoggingRegistration.last.log().writer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writer.waits() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.waits()).as("requests waited for room").isPositive();
            // the event loops are free: a request that is not logged is answered while the writer is stuck
            for (int i = 0; i < 20; i++) {
                assertThat(site.get("/quiet/q.txt").statusCode()).isEqualTo(200);
            }
            assertThat(pending.stream().filter(f -> !f.isDone()).count())
                    .as("held back")
                    .isPositive();
            gate.countDown();
            for (Future<Integer> f : pending) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            gate.countDown();
            pool.shutdownNow();
            site.close();
        }
        List<String> entries = new LogFolder(logs).entries();
        assertThat(entries).hasSize(requests);
        assertThat(entries).allMatch(l -> l.contains(" /hello.txt "));
        assertThat(TestLoggingRegistration.last.log().writer().lost()).isZero();
    }

    @Test
    void requestsTheKernelStyleCacheAnswersGetTheirLineAndSelectivelyLoggedUrlsStayOutOfIt() throws Exception {
        try (LoggingSite site = LoggingSite.start(
                root,
                logs,
                "",
                "",
                "<location path=\"Logged/quiet\"><system.webServer><httpLogging selectiveLogging=\"LogError\" />"
                        + "</system.webServer></location>",
                true)) {
            for (int i = 0; i < 4; i++) {
                assertThat(site.get("/hello.txt", "User-Agent", "ua" + i).statusCode())
                        .isEqualTo(200);
                assertThat(site.get("/quiet/q.txt").statusCode()).isEqualTo(200);
            }
            var kernel =
                    site.server.server().engine().server().kernelResponseCache().orElseThrow();
            assertThat(kernel.statistics().hits()).isEqualTo(2); // the third and fourth /hello.txt
            awaitWritten(4);
        }
        List<String> entries = new LogFolder(logs).entries();
        assertThat(entries).hasSize(4);
        assertThat(entries)
                .allSatisfy(e -> assertThat(e).contains(" GET /hello.txt - ").contains(" 200 0 0 "));
        assertThat(entries).extracting(e -> e.split(" ")[9]).containsExactlyInAnyOrder("ua0", "ua1", "ua2", "ua3");
    }
}
