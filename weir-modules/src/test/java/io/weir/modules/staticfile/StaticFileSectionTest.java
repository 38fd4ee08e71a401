package io.weir.modules.staticfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.staticfile.StaticFileSection.CacheControlMode;
import io.weir.modules.staticfile.StaticFileSection.ClientCache;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The staticContent record: MIME lookup and the derived client-cache headers. */
class StaticFileSectionTest {

    private static final StaticFileSection SECTION =
            new StaticFileSection(Map.of(".html", "text/html", ".txt", "text/plain"), ClientCache.DEFAULT);

    @Test
    void mimeLookupUsesTheLastExtensionIgnoringCase() {
        assertThat(SECTION.mimeTypeOf("a.HTML")).hasValue("text/html");
        assertThat(SECTION.mimeTypeOf("a.tar.txt")).hasValue("text/plain");
        assertThat(SECTION.mimeTypeOf("a.bin")).isEmpty();
        assertThat(SECTION.mimeTypeOf("README")).isEmpty();
    }

    @Test
    void dotAndStarEntriesCoverExtensionlessAndUnmappedFiles() {
        StaticFileSection section =
                new StaticFileSection(Map.of(".", "text/plain", "*", "application/octet-stream"), ClientCache.DEFAULT);
        assertThat(section.mimeTypeOf("README")).hasValue("text/plain");
        assertThat(section.mimeTypeOf("a.bin")).hasValue("application/octet-stream");
    }

    @Test
    void clientCacheDerivesTheHeaders() {
        assertThat(ClientCache.DEFAULT.cacheControl()).isEmpty();
        assertThat(ClientCache.DEFAULT.setEtag()).isTrue();
        assertThat(ClientCache.of(CacheControlMode.UseMaxAge, Duration.ofDays(1), "", "", true)
                        .cacheControl())
                .isEqualTo("max-age=86400");
        assertThat(ClientCache.of(CacheControlMode.UseMaxAge, Duration.ofHours(1), "", "public", true)
                        .cacheControl())
                .isEqualTo("max-age=3600, public");
        assertThat(ClientCache.of(CacheControlMode.DisableCache, Duration.ZERO, "", "", true)
                        .cacheControl())
                .isEqualTo("no-cache");
        ClientCache expires =
                ClientCache.of(CacheControlMode.UseExpires, Duration.ZERO, "Tue, 19 Jan 2038 03:14:07 GMT", "", true);
        assertThat(expires.expires()).isEqualTo("Tue, 19 Jan 2038 03:14:07 GMT");
        assertThat(expires.cacheControl()).isEmpty();
        assertThat(ClientCache.of(CacheControlMode.NoControl, Duration.ZERO, "x", "private", true)
                        .cacheControl())
                .isEqualTo("private");
        assertThat(ClientCache.of(CacheControlMode.NoControl, Duration.ZERO, "x", "", true)
                        .expires())
                .isEmpty();
    }
}
