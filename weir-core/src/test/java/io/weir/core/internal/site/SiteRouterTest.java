package io.weir.core.internal.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigSource;
import io.weir.config.SiteConfig;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import io.weir.core.ListenAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Site selection by binding and application/virtual-directory mapping (docs/reference/configuration-system.md, "Sites and bindings"). */
class SiteRouterTest {

    private static final ConfigSource SRC = new ConfigSource("test", 1, 1);
    private static final Path ROOT = Path.of("/srv/www");

    private static SiteConfig site(String name, long id, List<BindingConfig> bindings, List<ApplicationConfig> apps) {
        return new SiteConfig(name, id, true, bindings, apps, SRC);
    }

    private static ApplicationConfig app(String path, Path root, VirtualDirectoryConfig... extra) {
        List<VirtualDirectoryConfig> dirs = new ArrayList<>();
        dirs.add(new VirtualDirectoryConfig("/", root, SRC));
        dirs.addAll(List.of(extra));
        return new ApplicationConfig(path, "", dirs, SRC);
    }

    @Test
    void hostSpecificBindingBeatsCatchAllAndExactIpBeatsWildcard() {
        SiteRouter router = new SiteRouter(List.of(
                site("catch-all", 1, List.of(new BindingConfig("http", "*", 8080, "", SRC)), List.of(app("/", ROOT))),
                site(
                        "named",
                        2,
                        List.of(new BindingConfig("http", "*", 8080, "www.example.com", SRC)),
                        List.of(app("/", ROOT))),
                site(
                        "loopback",
                        3,
                        List.of(new BindingConfig("http", "127.0.0.2", 8080, "", SRC)),
                        List.of(app("/", ROOT)))));
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
        assertThat(router.route(local, "www.example.com:8080").siteName()).isEqualTo("named");
        assertThat(router.route(local, "WWW.EXAMPLE.COM").siteName()).isEqualTo("named");
        assertThat(router.route(local, "other.example.com").siteName()).isEqualTo("catch-all");
        assertThat(router.route(new InetSocketAddress("127.0.0.2", 8080), "x").siteName())
                .isEqualTo("loopback");
        assertThat(router.route(new InetSocketAddress("127.0.0.1", 9090), "x")).isNull();
        assertThat(router.listeners())
                .containsExactly(new ListenAddress("http", "*", 8080), new ListenAddress("http", "127.0.0.2", 8080));
    }

    @Test
    void portZeroBindingMatchesTheListenersActualPort() {
        SiteRouter router = new SiteRouter(
                List.of(site("s", 1, List.of(new BindingConfig("http", "*", 0, "", SRC)), List.of(app("/", ROOT)))));
        assertThat(router.route(new InetSocketAddress("127.0.0.1", 41234), null).siteName())
                .isEqualTo("s");
    }

    @Test
    void longestApplicationAndVirtualDirectoryWin() {
        SiteRouter router = new SiteRouter(List.of(site(
                "s",
                1,
                List.of(new BindingConfig("http", "*", 80, "", SRC)),
                List.of(
                        app("/", ROOT, new VirtualDirectoryConfig("/docs", Path.of("/srv/docs"), SRC)),
                        app("/api", Path.of("/srv/api"))))));
        ServedSite s = router.sites().get(0);
        assertThat(s.applicationFor("/api/v1/x").virtualPath()).isEqualTo("/api");
        assertThat(s.applicationFor("/apix").virtualPath()).isEqualTo("/");
        assertThat(s.applicationFor("/API/x").virtualPath()).isEqualTo("/api");
        ServedApplication root = s.applicationFor("/docs/a.html");
        assertThat(root.mapPath("/docs/a.html")).isEqualTo(Path.of("/srv/docs/a.html"));
        assertThat(root.mapPath("/docsx/a.html")).isEqualTo(Path.of("/srv/www/docsx/a.html"));
        assertThat(root.mapPath("/")).isEqualTo(ROOT);
        assertThat(s.applicationFor("/api/v1").mapPath("/api/v1")).isEqualTo(Path.of("/srv/api/v1"));
        assertThat(s.applicationFor("/api").applicationId()).isEqualTo("/LM/W3SVC/1/ROOT/api");
    }
}
