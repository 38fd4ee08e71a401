package io.weir.cli.command;

import io.weir.api.HttpServer;
import io.weir.api.Priority;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.cli.Verbosity;
import io.weir.cli.manager.WeirManager;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.core.GlobalModuleStatus;
import io.weir.server.ConfigurationWatcher;
import io.weir.server.WeirServer;
import io.weir.server.tls.DevelopmentCertificate;
import io.weir.server.tls.ServerCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir serve}: starts the server on the embedded default configuration (optionally serving
 * another folder or port, like {@code python3 -m http.server}) or on an applicationHost.config
 * file, prints what it loaded, and runs until the JVM is asked to stop (Ctrl-C, SIGTERM) or the
 * calling thread is interrupted. Stopping drains the requests in flight for up to 30 seconds.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves sites until Ctrl-C or SIGTERM, which stop it gracefully (requests in flight get 30 s).",
            "",
            "Serves --config FILE, else ./applicationHost.config when there is one ('weir init' writes it; --root"
                    + " and --port change a file's site \"Default Web Site\"), else the embedded default"
                    + " configuration: site \"Default Web Site\" on port 8080, rooted at ./wwwroot if the current"
                    + " directory has one, else at the wwwroot folder of the Weir installation. A file gets that"
                    + " folder as the variable WEIR_SITE_ROOT unless --var or the environment defines it."
        },
        footer = {
            "",
            "Examples:",
            "  weir serve",
            "  weir serve --root ~/site --port 9000",
            "  weir serve --port 8080 --https-port 44300",
            "  weir serve --config applicationHost.config --var WEIR_SITE_ROOT=/srv/www",
            "",
            "A --config file is watched: an edit is applied without a restart (requests in flight finish on the"
                    + " configuration they started with); an edit Weir refuses is logged and the last good"
                    + " configuration keeps serving. See docs/hot-reload.md."
        },
        sortOptions = false)
public final class ServeCommand implements Callable<Integer> {

    /** The logger HttpLoggingModule gives one line per request to. */
    static final String ACCESS_LOGGER = "weir.access";

    /** The system property that tells the built-in modules where Weir's data folder is. */
    static final String DATA_PROPERTY = "weir.data";

    /** The site of the embedded default configuration that --root and --port change. */
    static final String DEFAULT_SITE = "Default Web Site";

    /** How long a stop waits for requests in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "Serve this folder as the root of the site \"Default Web Site\" (of the embedded default"
                    + " or of the file), or add that site to a file that defines none, as IIS Express's /path: does.")
    private Path root;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Listen on this port instead of 8080 (0 = any free port).")
    private Integer port;

    @Option(
            names = "--https-port",
            paramLabel = "N",
            description = "Also serve HTTPS (HTTP/2 and HTTP/1.1) on this port, with a development certificate"
                    + " for localhost that Weir creates on first use in its data folder ($WEIR_DATA_HOME, else ~/.local/state/weir);"
                    + " `weir dev-cert --export FILE` writes it out for a trust store. Applies to the default"
                    + " site, or the first site of a --config file.")
    private Integer httpsPort;

    @Mixin
    private ConfigOptions configOptions;

    @Option(
            names = "--access-log-console",
            description = "Also print one line per request on the console (client, request line, status, bytes,"
                    + " time); the W3C access log files are written either way.")
    private boolean accessLogConsole;

    @Option(
            names = "--no-watch",
            description = "Do not watch the configuration file and the sites' folders (their web.config"
                    + " files) for changes; by default a change is applied without a restart.")
    private boolean noWatch;

    @Override
    public Integer call() {
        // IHttpServer::IsCommandLineLaunch: true for a server the weir command runs
        System.setProperty(HttpServer.COMMAND_LINE_LAUNCH_PROPERTY, "true");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApplicationHostConfig configuration;
        UnaryOperator<ApplicationHostConfig> https;
        try {
            configuration = configuration();
            https = httpsBinding(configuration, err);
            configuration = https.apply(configuration);
        } catch (ConfigException e) {
            return configOptions.report(e);
        } catch (IOException e) {
            err.println("weir: cannot make the development certificate: " + e.getMessage());
            err.flush();
            return 1;
        }

        if (accessLogConsole
                && LoggerFactory.getLogger(ACCESS_LOGGER) instanceof ch.qos.logback.classic.Logger access) {
            access.setLevel(ch.qos.logback.classic.Level.INFO);
        }
        Path data = dataFolder();
        System.setProperty(DATA_PROPERTY, data.toString());
        WeirServer server;
        try {
            server = WeirServer.start(configuration);
        } catch (IOException | RuntimeException e) {
            err.println("weir: " + startFailure(configuration, e));
            err.flush();
            return 1;
        }
        describe(configuration, configOptions.origin(), server, out);
        out.println("Logs: " + data.resolve("logs") + " (W3C access logs in W3SVC<site id>/, unless a site's logFile"
                + " names a directory; WEIR_DATA_HOME moves the folder)");
        if (configOptions.file() != null && !noWatch) {
            try {
                ConfigurationWatcher watcher = server.watch(configOptions.configFile(), configOptions.fileVariables());
                if ((root != null || port != null)
                        && configuration.site(DEFAULT_SITE).isPresent()) {
                    watcher.adjustEachConfiguration(c -> https.apply(
                            c.site(DEFAULT_SITE).isPresent() ? siteOverrides().apply(c) : c));
                } else if (root != null) {
                    // the site --root/--port added (IIS Express's /path: /port:) stays after an edit
                    Path siteRoot = explicitRoot(root);
                    int sitePort = port == null ? 8080 : port;
                    watcher.adjustEachConfiguration(
                            c -> https.apply(c.withAddedSite(DEFAULT_SITE, siteRoot, sitePort)));
                } else if (httpsPort != null) {
                    watcher.adjustEachConfiguration(https);
                }
                out.println("Watching " + configOptions.configFile() + " for changes (--no-watch turns this off).");
            } catch (IOException e) {
                err.println("weir: cannot watch " + configOptions.configFile() + " for changes: " + e.getMessage()
                        + "; changes need a restart");
                err.flush();
            }
        }
        if (configOptions.file() != null
                && WeirManager.mount(server, configOptions.configFile(), configOptions.fileVariables())) {
            server.adminEndpoint()
                    .ifPresent(
                            admin -> out.println("Weir Manager: http://127.0.0.1:" + admin.port() + WeirManager.PREFIX
                                    + " (a browser on this machine; edits are written to " + configOptions.configFile()
                                    + (noWatch ? ", and need a restart with --no-watch)" : ")")));
        }
        if (configOptions.file() == null && !noWatch) {
            try {
                server.watchSites();
                out.println("Watching the site folders for web.config changes (--no-watch turns this off).");
            } catch (IOException e) {
                err.println("weir: cannot watch the site folders for changes: " + e.getMessage()
                        + "; web.config edits need a restart");
                err.flush();
            }
        }
        out.println("Weir is serving; Ctrl-C or SIGTERM stops it gracefully.");
        out.flush();
        return serveUntilStopped(server, out);
    }

    /** Builds the configuration the options ask for; usage errors become ParameterExceptions. */
    private ApplicationHostConfig configuration() {
        if (port != null && (port < 0 || port > 65_535)) {
            throw usage("--port must be between 0 and 65535, got " + port);
        }
        if (configOptions.file() != null) {
            ApplicationHostConfig loaded = configOptions.load(null);
            if (root == null && port == null) {
                return loaded;
            }
            if (loaded.site(DEFAULT_SITE).isPresent()) {
                // a file with the default site (as 'weir init' writes it): --root and --port change that site
                return siteOverrides().apply(loaded);
            }
            if (!loaded.sites().isEmpty()) {
                throw usage("--config cannot be combined with --root or --port when the file defines sites"
                        + " and none is named \"" + DEFAULT_SITE + "\"");
            }
            if (root == null) {
                throw usage(
                        configOptions.file() + " defines no site: give --root DIR (and --port N) to serve a folder");
            }
            // IIS Express's /path:DIR /port:N with a file that defines no site (its stock file)
            return loaded.withAddedSite(DEFAULT_SITE, explicitRoot(root), port == null ? 8080 : port);
        }
        ApplicationHostConfig embedded = configOptions.load(root != null ? explicitRoot(root) : null);
        if (port == null) {
            return embedded;
        }
        return embedded.withSiteOverrides(DEFAULT_SITE, Optional.empty(), OptionalInt.of(port));
    }

    /**
     * Returns what adds the --https-port binding (with the development certificate, created now if
     * needed) to a configuration; the identity without --https-port.
     */
    private UnaryOperator<ApplicationHostConfig> httpsBinding(ApplicationHostConfig configuration, PrintWriter err)
            throws IOException {
        if (httpsPort == null) {
            return c -> c;
        }
        if (httpsPort < 0 || httpsPort > 65_535) {
            throw usage("--https-port must be between 0 and 65535, got " + httpsPort);
        }
        if (configuration.sites().isEmpty()) {
            throw usage("--https-port needs a site: the configuration defines none");
        }
        Path data = DevelopmentCertificate.dataFolder(System.getenv());
        ServerCertificate certificate = DevelopmentCertificate.ensure(data);
        String store = DevelopmentCertificate.storeFolder(data).toString();
        String site = configuration
                .site(DEFAULT_SITE)
                .map(SiteConfig::name)
                .orElse(configuration.sites().get(0).name());
        ConfigSource source = new ConfigSource("<command line --https-port>", 0, 0);
        SiteConfig.BindingConfig binding =
                new SiteConfig.BindingConfig("https", "*", httpsPort, "", 0, certificate.thumbprint(), store, source);
        err.println("weir: HTTPS uses the development certificate " + certificate.file() + " (thumbprint "
                + certificate.thumbprint() + ", valid until " + certificate.notAfter() + ")");
        err.flush();
        return c -> c.site(site).isPresent() ? c.withAddedBinding(site, binding) : c;
    }

    /** --root and --port applied to the default site of a configuration that has one. */
    private UnaryOperator<ApplicationHostConfig> siteOverrides() {
        Optional<Path> siteRoot = root == null ? Optional.empty() : Optional.of(explicitRoot(root));
        OptionalInt sitePort = port == null ? OptionalInt.empty() : OptionalInt.of(port);
        return c -> c.withSiteOverrides(DEFAULT_SITE, siteRoot, sitePort);
    }

    /**
     * Weir's data folder, outside any checkout: {@code -Dweir.data}, else {@code $WEIR_DATA_HOME},
     * else {@code $XDG_STATE_HOME/weir}, else {@code ~/.local/state/weir} (the XDG Base Directory
     * specification's place for logs). The built-in modules apply the same rule when run without
     * this command.
     */
    static Path dataFolder() {
        return DevelopmentCertificate.dataFolder(System.getenv());
    }

    private Path explicitRoot(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw usage("--root " + dir + ": no such directory");
        }
        return dir.toAbsolutePath().normalize();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Blocks until the JVM shuts down (the hook stops the server) or this thread is interrupted
     * (this thread stops it). Either way the server is stopped exactly once.
     */
    private int serveUntilStopped(WeirServer server, PrintWriter out) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    server.stop(DRAIN_TIMEOUT);
                } finally {
                    out.println("stopped");
                    out.flush();
                    stopped.countDown();
                }
            }
        };
        Thread hook = new Thread(stop, "weir-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops the server
            }
            stop.run();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Prints the configuration file, the sites, the bound addresses and the modules. */
    private static void describe(
            ApplicationHostConfig configuration, String origin, WeirServer server, PrintWriter out) {
        out.println("Configuration: " + origin);
        for (SiteConfig site : configuration.sites()) {
            out.println("Site \"" + site.name() + "\" (id " + site.id() + ")"
                    + (site.serverAutoStart() ? "" : ", not started automatically"));
            for (SiteConfig.BindingConfig binding : site.bindings()) {
                out.println("  binding " + binding.protocol() + " " + bindingInformation(binding));
            }
            for (SiteConfig.ApplicationConfig application : site.applications()) {
                for (SiteConfig.VirtualDirectoryConfig directory : application.virtualDirectories()) {
                    out.println("  " + virtualPath(application.path(), directory.path()) + " -> "
                            + directory.physicalPath());
                }
            }
        }
        out.println("Listening on:");
        for (InetSocketAddress address : server.boundAddresses()) {
            String url = url(address);
            out.println("  " + (server.tlsEndpoint(address).isPresent() ? "https" + url.substring(4) : url));
        }
        out.println("Modules:");
        int width = server.engine().modules().stream()
                .mapToInt(m -> m.name().length())
                .max()
                .orElse(0);
        for (GlobalModuleStatus module : server.engine().modules()) {
            String name = String.format("  %-" + width + "s  ", module.name());
            if (module.isLoaded()) {
                out.println(name + module.origin() + ": " + notifications(module));
            } else {
                out.println(name + "UNAVAILABLE (" + module.origin() + "): "
                        + module.failure().orElseThrow());
            }
        }
        if (!configuration.unsupportedSections().isEmpty()) {
            out.println("Sections Weir does not implement yet (ignored): "
                    + String.join(", ", configuration.unsupportedSections()));
        }
    }

    private static String bindingInformation(SiteConfig.BindingConfig binding) {
        return address(binding) + ":" + binding.host();
    }

    private static String virtualPath(String application, String directory) {
        if ("/".equals(directory)) {
            return application;
        }
        return (application.endsWith("/") ? application.substring(0, application.length() - 1) : application)
                + directory;
    }

    /** Formats a bound address as a URL a person can click; a wildcard address as localhost. */
    static String url(InetSocketAddress address) {
        String host;
        String note = "";
        if (address.getAddress() == null) {
            host = address.getHostString();
        } else if (address.getAddress().isAnyLocalAddress()) {
            host = "localhost";
            note = " (every address)";
        } else if (address.getAddress() instanceof Inet6Address) {
            host = "[" + address.getAddress().getHostAddress() + "]";
        } else {
            host = address.getAddress().getHostAddress();
        }
        return "http://" + host + ":" + address.getPort() + "/" + note;
    }

    /**
     * Lists what a module registered for, in IIS's terms, with any priority other than MEDIUM:
     * e.g. "BEGIN_REQUEST (HIGH), post MAP_PATH, global PRE_BEGIN_REQUEST".
     */
    static String notifications(GlobalModuleStatus module) {
        String listed = Stream.of(
                        module.requestNotifications().stream().map(n -> {
                            Priority priority = module.priorities().getOrDefault(n, Priority.MEDIUM);
                            return priority == Priority.MEDIUM ? n.name() : n.name() + " (" + priority + ")";
                        }),
                        module.postNotifications().stream().map(n -> "post " + n.name()),
                        module.globalNotifications().stream().map(n -> "global " + n.name()))
                .flatMap(s -> s)
                .collect(Collectors.joining(", "));
        return listed.isEmpty() ? "no notifications" : listed;
    }

    /** Explains why the server did not start, in one line. */
    private static String startFailure(ApplicationHostConfig configuration, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                String addresses = configuration.sites().stream()
                        .flatMap(site -> site.bindings().stream())
                        .map(binding -> binding.protocol() + " " + address(binding))
                        .distinct()
                        .collect(Collectors.joining(", "));
                return "cannot listen on " + addresses + ": " + cause.getMessage()
                        + " (is another server using the port? choose another with --port or in the bindings)";
            }
        }
        return "the server did not start: " + (cause == e ? e : e + ", caused by " + cause);
    }

    private static String address(SiteConfig.BindingConfig binding) {
        return (binding.ip().contains(":") ? "[" + binding.ip() + "]" : binding.ip()) + ":" + binding.port();
    }
}
