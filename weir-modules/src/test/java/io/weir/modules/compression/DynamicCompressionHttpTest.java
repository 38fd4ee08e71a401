package io.weir.modules.compression;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamicCompressionModule over real loopback HTTP, with a handler that generates text in one or
 * several sends: every coding decoded by its library and compared byte for byte, one stream per
 * response, and one test per attribute it reads. Also the web.config a Blazor WebAssembly app
 * ships, whose {@code httpCompression} adds {@code application/wasm} to the dynamic types.
 */
class DynamicCompressionHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path temp;

    private static CompressionSite site;
    private static byte[] wasm;

    @BeforeAll
    static void start() throws Exception {
        write(root, "x.dyn", "");
        for (String folder : List.of("types", "off", "schemeoff", "cpu", "level", "fast", "hdr", "http10", "deflate")) {
            write(root, folder + "/x.dyn", "");
        }
        wasm = GeneratedTextModuleRegistration.text(40_000);
        Files.createDirectories(root.resolve("blazor/_framework"));
        Files.write(root.resolve("blazor/_framework/dotnet.wasm"), wasm);
        Files.createDirectories(root.resolve("plain"));
        Files.write(root.resolve("plain/dotnet.wasm"), wasm);
        // The shape of the web.config that Blazor WebAssembly's publish output carries for IIS.
        write(root, "blazor/web.config", """
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <system.webServer>
                    <staticContent>
                      <remove fileExtension=".blat" />
                      <remove fileExtension=".dat" />
                      <remove fileExtension=".dll" />
                      <remove fileExtension=".json" />
                      <remove fileExtension=".wasm" />
                      <remove fileExtension=".woff" />
                      <remove fileExtension=".woff2" />
                      <mimeMap fileExtension=".blat" mimeType="application/octet-stream" />
                      <mimeMap fileExtension=".dll" mimeType="application/octet-stream" />
                      <mimeMap fileExtension=".dat" mimeType="application/octet-stream" />
                      <mimeMap fileExtension=".json" mimeType="application/json" />
                      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
                      <mimeMap fileExtension=".woff" mimeType="application/font-woff" />
                      <mimeMap fileExtension=".woff2" mimeType="application/font-woff" />
                    </staticContent>
                    <httpCompression>
                      <dynamicTypes>
                        <add mimeType="application/octet-stream" enabled="true" />
                        <add mimeType="application/wasm" enabled="true" />
                      </dynamicTypes>
                    </httpCompression>
                  </system.webServer>
                </configuration>
                """);
        site = CompressionSite.start(
                root,
                temp,
                "",
                "types",
                "<httpCompression><dynamicTypes><add mimeType=\"application/x-weir-d\" enabled=\"true\" />"
                        + "</dynamicTypes></httpCompression>",
                "off",
                "<urlCompression doDynamicCompression=\"false\" />",
                "schemeoff",
                "<httpCompression><remove name=\"gzip\" /><scheme name=\"gzip\" dll=\"x\" doDynamicCompression=\"false\" />"
                        + "</httpCompression>",
                "cpu",
                "<httpCompression dynamicCompressionDisableCpuUsage=\"0\" dynamicCompressionEnableCpuUsage=\"0\" />",
                "level",
                "<httpCompression><remove name=\"gzip\" /><scheme name=\"gzip\" dll=\"x\" dynamicCompressionLevel=\"9\" />"
                        + "</httpCompression>",
                "hdr",
                "<httpCompression sendCacheHeaders=\"true\" />",
                "http10",
                "<httpCompression noCompressionForHttp10=\"true\" />",
                "deflate",
                "<httpCompression><scheme name=\"deflate\" dll=\"x\" /></httpCompression>");
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void eachCodingOfAResponseWrittenInSeveralSendsDecodesToWhatTheHandlerWrote() throws Exception {
        byte[] expected = GeneratedTextModuleRegistration.text(200_000);
        for (String coding : List.of("br", "zstd", "gzip")) {
            HttpResponse<byte[]> r = site.get("/x.dyn?n=200000&parts=7", "Accept-Encoding", coding);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(header(r, "Content-Encoding")).isEqualTo(coding);
            assertThat(header(r, "Transfer-Encoding")).isEqualTo("chunked");
            assertThat(header(r, "Vary")).isEqualTo("Accept-Encoding");
            assertThat(r.body().length).isLessThan(expected.length / 4);
            assertThat(CompressionSite.decode(coding, r.body())).isEqualTo(expected);
        }
    }

    @Test
    void aResponseIsOneCodedStreamNotOnePerSend() throws Exception {
        // a zlib stream ends once: had each send been coded on its own, the decoder would stop after the first
        byte[] expected = GeneratedTextModuleRegistration.text(90_000);
        HttpResponse<byte[]> r = site.get("/deflate/x.dyn?n=90000&parts=9", "Accept-Encoding", "deflate");
        assertThat(header(r, "Content-Encoding")).isEqualTo("deflate");
        assertThat(CompressionSite.decode("deflate", r.body())).isEqualTo(expected);
    }

    @Test
    void aSingleSendGetsAContentLengthOfTheCodedBody() throws Exception {
        HttpResponse<byte[]> r = site.get("/x.dyn?n=30000", "Accept-Encoding", "gzip");
        assertThat(header(r, "Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(CompressionSite.decode("gzip", r.body())).isEqualTo(GeneratedTextModuleRegistration.text(30_000));
    }

    @Test
    void withoutAcceptEncodingTheResponseGoesAsWrittenWithVary() throws Exception {
        HttpResponse<byte[]> r = site.get("/x.dyn?n=5000");
        assertThat(header(r, "Content-Encoding")).isNull();
        assertThat(header(r, "Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.body()).isEqualTo(GeneratedTextModuleRegistration.text(5000));
    }

    @Test
    void dynamicTypesDecideByType() throws Exception {
        HttpResponse<byte[]> json = site.get("/x.dyn?type=application%2Fjson", "Accept-Encoding", "gzip");
        assertThat(header(json, "Content-Encoding")).isEqualTo("gzip");
        HttpResponse<byte[]> octets = site.get("/x.dyn?type=application%2Foctet-stream", "Accept-Encoding", "gzip");
        assertThat(header(octets, "Content-Encoding")).isNull();
        assertThat(octets.body()).isEqualTo(GeneratedTextModuleRegistration.text(10_000));
        HttpResponse<byte[]> added = site.get("/types/x.dyn?type=application%2Fx-weir-d", "Accept-Encoding", "gzip");
        assertThat(header(added, "Content-Encoding")).isEqualTo("gzip");
        HttpResponse<byte[]> notAdded = site.get("/x.dyn?type=application%2Fx-weir-d", "Accept-Encoding", "gzip");
        assertThat(header(notAdded, "Content-Encoding")).isNull();
    }

    @Test
    void doDynamicCompressionOfUrlCompressionAndOfASchemeTurnItOff() throws Exception {
        HttpResponse<byte[]> off = site.get("/off/x.dyn", "Accept-Encoding", "gzip, br");
        assertThat(header(off, "Content-Encoding")).isNull();
        assertThat(off.body()).isEqualTo(GeneratedTextModuleRegistration.text(10_000));
        assertThat(header(site.get("/schemeoff/x.dyn", "Accept-Encoding", "gzip"), "Content-Encoding"))
                .isNull();
        assertThat(header(site.get("/schemeoff/x.dyn", "Accept-Encoding", "gzip, br"), "Content-Encoding"))
                .isEqualTo("br");
    }

    @Test
    void dynamicCompressionDisableCpuUsageSuspendsIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = site.get("/cpu/x.dyn", "Accept-Encoding", "gzip");
            assertThat(header(r, "Content-Encoding")).isNull();
        }
        assertThat(header(site.get("/x.dyn", "Accept-Encoding", "gzip"), "Content-Encoding"))
                .isEqualTo("gzip");
    }

    @Test
    void aResponseTheHandlerEncodedIsNotEncodedAgain() throws Exception {
        HttpResponse<byte[]> r = site.get("/x.dyn?encoded=1", "Accept-Encoding", "br, gzip");
        assertThat(header(r, "Content-Encoding")).isEqualTo("gzip");
        assertThat(CompressionSite.decode("gzip", r.body())).isEqualTo(GeneratedTextModuleRegistration.text(10_000));
    }

    @Test
    void dynamicCompressionLevelChangesTheOutput() throws Exception {
        HttpResponse<byte[]> fast = site.get("/x.dyn?n=100000", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> best = site.get("/level/x.dyn?n=100000", "Accept-Encoding", "gzip");
        byte[] expected = GeneratedTextModuleRegistration.text(100_000);
        assertThat(CompressionSite.decode("gzip", fast.body())).isEqualTo(expected);
        assertThat(CompressionSite.decode("gzip", best.body())).isEqualTo(expected);
        assertThat(best.body().length).isLessThan(fast.body().length);
    }

    @Test
    void anEtagGetsTheCodingAndSendCacheHeadersAddsTheCacheHeaders() throws Exception {
        HttpResponse<byte[]> r = site.get("/x.dyn?etag=v1", "Accept-Encoding", "zstd");
        assertThat(header(r, "ETag")).isEqualTo("\"v1-zstd\"");
        assertThat(header(r, "Expires")).isNull();
        HttpResponse<byte[]> hdr = site.get("/hdr/x.dyn", "Accept-Encoding", "gzip");
        assertThat(header(hdr, "Cache-Control")).isEqualTo("max-age=86400");
        assertThat(header(hdr, "Expires")).isEqualTo("Wed, 01 Jan 1997 12:00:00 GMT");
    }

    @Test
    void http10AndProxiedRequestsGetTheResponseAsWritten() throws Exception {
        RawHttp.Response r = RawHttp.exchange(
                site.port(), "GET /http10/x.dyn HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n");
        assertThat(r.header("Content-Encoding")).isEmpty();
        assertThat(r.body()).isEqualTo(GeneratedTextModuleRegistration.text(10_000));
        HttpResponse<byte[]> proxied = site.get("/x.dyn", "Accept-Encoding", "gzip", "Via", "1.1 cache");
        assertThat(header(proxied, "Content-Encoding")).isNull();
    }

    @Test
    void theBlazorWebConfigMakesWasmCompressed() throws Exception {
        HttpResponse<byte[]> r = site.get("/blazor/_framework/dotnet.wasm", "Accept-Encoding", "br, gzip");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo("application/wasm");
        assertThat(header(r, "Content-Encoding")).isEqualTo("br");
        assertThat(CompressionSite.decode("br", r.body())).isEqualTo(wasm);
        HttpResponse<byte[]> elsewhere = site.get("/plain/dotnet.wasm", "Accept-Encoding", "br, gzip");
        assertThat(header(elsewhere, "Content-Type")).isEqualTo("application/wasm");
        assertThat(header(elsewhere, "Content-Encoding")).isNull();
        assertThat(elsewhere.body()).isEqualTo(wasm);
    }
}
