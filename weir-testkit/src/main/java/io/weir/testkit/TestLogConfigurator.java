package io.weir.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Shows the engine's log in the tests of a module: when the test class path has no Logback
 * configuration of its own ({@code logback-test.xml}, {@code logback.xml} or the
 * {@code logback.configurationFile} property), this sets one up: INFO and above on standard
 * output, one line per event ({@code time level [thread] logger message}, then the stack trace of
 * an exception, such as a module's that failed its request), Netty at WARN. A configuration file
 * of the project's own always wins.
 *
 * <p>Found by Logback through {@link java.util.ServiceLoader}; not meant to be called directly.
 */
@ConfiguratorRank(ConfiguratorRank.DEFAULT)
public final class TestLogConfigurator extends ContextAwareBase implements Configurator {

    /** Creates the configurator; Logback does this. */
    public TestLogConfigurator() {}

    /**
     * Configures the console output unless the class path has a Logback configuration.
     *
     * @param context the logger context being configured
     * @return {@code INVOKE_NEXT_IF_ANY} to let Logback read the project's configuration file, else
     *         {@code DO_NOT_INVOKE_NEXT_IF_ANY}
     */
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = TestLogConfigurator.class.getClassLoader();
        }
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("weir-testkit-console");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("weir.access").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
