package io.weir.modules.requestfiltering;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile request targets against the embedded default configuration, sent as raw request lines
 * (clients would normalize them). The site root is a folder of the temporary directory; a secret
 * file sits beside it, outside the root, and hidden-segment files sit inside. For every case the
 * response must not contain the secret's or any hidden file's bytes, and the status must be the
 * one IIS gives: 400 for malformed or climbing URLs (the engine refuses those before any module
 * runs), 404.x from request filtering, 404.0 for names that do not exist on this file system.
 */
class RequestFilteringHostilePathTest {

    private static final String SECRET = "TOP-SECRET-" + UUID.randomUUID();
    private static final String HIDDEN = "HIDDEN-" + UUID.randomUUID();
    private static final String PUBLIC = "public-" + UUID.randomUUID();

    @TempDir
    static Path temp;

    private static LoopbackSite site;
    private static int port;

    /** One hostile request: its target and the statuses accepted (IIS's, and Weir's where they must differ). */
    private record Case(String target, Set<String> expected, String group) {}

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String group, String expected, String... targets) {
        for (String target : targets) {
            CASES.add(new Case(target, Set.of(expected.split("\\|")), group));
        }
    }

    static {
        add(
                "traversal",
                "400",
                "/../secret.txt",
                "/../../secret.txt",
                "/a/../../secret.txt",
                "/a/b/../../../secret.txt",
                "/..%2fsecret.txt",
                "/..%2Fsecret.txt",
                "/%2e%2e/secret.txt",
                "/%2E%2E%2Fsecret.txt",
                "/.%2e/secret.txt",
                "/%2e./secret.txt",
                "/..%5csecret.txt",
                "/..%5Csecret.txt",
                "/./../secret.txt",
                "//../secret.txt",
                "/public.txt/../../secret.txt",
                "/%2e%2e%2f%2e%2e%2fsecret.txt",
                "/..%2f..%2f..%2fetc/passwd",
                "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/..",
                "/%2e%2e",
                "/sub/..%2f..%2fsecret.txt",
                "/sub/%2e%2e/%2e%2e/secret.txt",
                "http://127.0.0.1/../secret.txt");
        add(
                "backslash",
                "400",
                "/..\\secret.txt",
                "/sub\\..\\..\\secret.txt",
                "/..\\..\\secret.txt",
                "\\web.config",
                "/sub%5c..%5c..%5csecret.txt");
        add(
                "overlong/invalid UTF-8",
                "400",
                "/%c0%ae%c0%ae/secret.txt",
                "/%c0%ae%c0%ae%c0%afsecret.txt",
                "/%e0%80%ae%e0%80%ae/secret.txt",
                "/..%c0%afsecret.txt",
                "/..%c0%af..%c0%afsecret.txt",
                "/%c0",
                "/%ed%a0%80",
                "/%ff%fe",
                "/%u002e%u002e/secret.txt",
                "/%zz",
                "/%",
                "/%2",
                "/web.config%c0%ae");
        add(
                "NUL",
                "400",
                "/public.txt%00",
                "/public.txt%00.html",
                "/web.config%00",
                "/%00/secret.txt",
                "/secret.txt%00.txt",
                "/bin%00/x.dll");
        add(
                "double-encoded",
                "404.11",
                "/%252e%252e%252fsecret.txt",
                "/%252e%252e/secret.txt",
                "/..%255csecret.txt",
                "/public%252etxt",
                "/%2570ublic.txt",
                "/%25",
                "/web%252econfig",
                "/bin%252fx.dll",
                "/%252e%252e%255csecret.txt",
                "/public.txt%2b",
                "/a+b.txt",
                "/web.config+");
        add(
                "hidden segment",
                "404.8",
                "/web.config",
                "/WEB.CONFIG",
                "/Web.Config",
                "/wEb.CoNfIg",
                "/bin/x.dll",
                "/BIN/x.dll",
                "/Bin/X.DLL",
                "/bin/",
                "/bin",
                "/App_Data/db.mdf",
                "/app_data/db.mdf",
                "/APP_DATA/DB.MDF",
                "/sub/web.config",
                "/sub/bin/x.dll",
                "/App_Code/a.cs",
                "/App_GlobalResources/r.resx",
                "/App_LocalResources/r.resx",
                "/App_WebReferences/x",
                "/App_Browsers/x.browser",
                "/%62in/x.dll",
                "/%77%65%62%2e%63%6f%6e%66%69%67",
                "/sub/../web.config",
                "/x/../bin/x.dll",
                "/./web.config",
                "//web.config",
                "/bin/../bin/x.dll",
                "/web.config?x=1",
                "/web.config/",
                "/bin%2fx.dll",
                "/bin%2Fx.dll",
                "/bin\\x.dll",
                "/%5cweb.config",
                "/App_Data%5cdb.mdf",
                "/sub\\web.config",
                "http://127.0.0.1/web.config",
                "/web.config;x=1/../web.config");
        add(
                "trailing dot, space, stream",
                "404.8",
                "/web.config.",
                "/web.config..",
                "/web.config%20",
                "/web.config%20%20.",
                "/web.config.%20",
                "/web.config::$DATA",
                "/web.config::%24DATA",
                "/WEB.CONFIG::$data",
                "/web.config:stream",
                "/bin./x.dll",
                "/bin%20/x.dll",
                "/App_Data./db.mdf",
                "/sub/web.config.",
                "/Bin.%20./x.dll");
        add(
                "denied extension",
                "404.7",
                "/source.cs",
                "/SOURCE.CS",
                "/app.config",
                "/App.Config",
                "/sub/settings.config",
                "/project.csproj",
                "/db.mdf",
                "/db.MDF",
                "/data.ldf",
                "/x.resx",
                "/Main.java",
                "/x.vb",
                "/source.cs/",
                "/source%2ecs",
                "/source.cs.",
                "/source.cs%20",
                "/source.cs::$DATA",
                "/source.CS::$DATA");
        // Not present on this file system. On NTFS IIS would resolve some of them (a trailing dot, a
        // stream, an 8.3 name, a device); here they are plain missing names, and never the secret.
        add(
                "missing name",
                "404.0",
                "/..;/secret.txt",
                "/a/..;/..;/secret.txt",
                "/%2e%2e%3b/secret.txt",
                "/..../secret.txt",
                "/.../secret.txt",
                "/..%ef%bc%8fsecret.txt",
                "/secret.txt",
                "/secret.txt::$DATA",
                "/public.txt::$DATA",
                "/public.txt.",
                "/WEBCON~1.CON",
                "/SECRE~1.TXT",
                "/con",
                "/aux.txt",
                "/nul",
                "/web.config~",
                "/web.config.bak",
                "/%2e%2e%20/secret.txt");
        // http.sys refuses escaped control characters (400, AllowRestrictedChars=0), and so does
        // Weir's URL canonicalization, before any module runs.
        add(
                "control character",
                "400",
                "/public.txt%0a",
                "/web.config%09",
                "/public.txt%0d%0a",
                "/%7f",
                "/%01web.config");
        add(
                "served",
                "200",
                "/public.txt",
                "/sub/public.txt",
                "/binary/x.txt",
                "/webconfig.txt",
                "/web.config.txt",
                "/sub%2fpublic.txt",
                "/public.txt?../../secret.txt",
                "/x/../public.txt",
                "/./public.txt");
    }

    @BeforeAll
    static void start() throws Exception {
        Path root = temp.resolve("site");
        write(temp, "secret.txt", SECRET);
        write(temp, "etc/passwd", SECRET);
        write(root, "public.txt", PUBLIC);
        write(root, "sub/public.txt", PUBLIC);
        write(root, "binary/x.txt", PUBLIC);
        write(root, "webconfig.txt", PUBLIC);
        write(root, "web.config.txt", PUBLIC);
        for (String hidden : new String[] {
            "web.config",
            "bin/x.dll",
            "App_Data/db.mdf",
            "sub/web.config",
            "sub/bin/x.dll",
            "App_Code/a.cs",
            "App_GlobalResources/r.resx",
            "App_LocalResources/r.resx",
            "App_WebReferences/x",
            "App_Browsers/x.browser",
            "source.cs",
            "app.config",
            "sub/settings.config",
            "project.csproj",
            "db.mdf",
            "data.ldf",
            "x.resx",
            "Main.java",
            "x.vb"
        }) {
            // A web.config is read by the server itself (a malformed one answers 500.19), so it is
            // a valid, empty one that still carries the marker.
            write(
                    root,
                    hidden,
                    hidden.endsWith("web.config") ? "<configuration><!-- " + HIDDEN + " --></configuration>" : HIDDEN);
        }
        site = LoopbackSite.serving(root);
        port = site.uri("/").getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static String statusOf(RawHttp.Response response) {
        String body = response.bodyText();
        String prefix = "HTTP Error " + response.status() + ".";
        int at = body.indexOf(prefix);
        if (at < 0 || response.status() == 400) {
            return Integer.toString(response.status()) + (response.status() == 404 ? ".0" : "");
        }
        int end = at + prefix.length();
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
            end++;
        }
        return response.status() + "." + body.substring(at + prefix.length(), end);
    }

    @Test
    void hostileTargetsNeverLeakAndGetIisStatuses() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(100);
        List<String> failures = new ArrayList<>();
        Map<String, int[]> byGroup = new TreeMap<>();
        for (Case c : CASES) {
            RawHttp.Response response = RawHttp.exchange(
                    port, "GET " + c.target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String body = new String(response.body(), StandardCharsets.ISO_8859_1);
            String status = statusOf(response);
            int[] counts = byGroup.computeIfAbsent(c.group(), g -> new int[2]);
            counts[0]++;
            boolean leaked = body.contains(SECRET) || body.contains(HIDDEN);
            boolean statusOk = c.expected().contains(status);
            boolean servedOk = !status.equals("200") || body.contains(PUBLIC);
            if (leaked || !statusOk || !servedOk) {
                failures.add(c.target() + " -> " + status + (leaked ? " LEAKED" : "") + ", expected " + c.expected());
            } else {
                counts[1]++;
            }
        }
        StringBuilder summary =
                new StringBuilder("hostile-path suite: ").append(CASES.size()).append(" requests\n");
        byGroup.forEach((group, counts) ->
                summary.append(String.format("  %-30s %3d/%3d as expected%n", group, counts[1], counts[0])));
        System.out.print(summary);
        assertThat(failures).as(summary.toString()).isEmpty();
    }
}
