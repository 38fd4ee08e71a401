package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A module project's tests, which have no Logback configuration of their own, get the engine's
 * log on the console, a module's exception with its stack trace; a project's own configuration
 * file wins.
 */
class TestLogConfiguratorTest {

    @Test
    @SuppressWarnings("unchecked")
    void withoutAConfigurationFileTheLogGoesToTheConsoleWithStackTraces() {
        LoggerContext context = new LoggerContext();
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        // a class loader that finds no logback-test.xml or logback.xml, as in a module project
        thread.setContextClassLoader(new URLClassLoader(new URL[0], null));
        try {
            TestLogConfigurator configurator = new TestLogConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configure(context))
                    .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        } finally {
            thread.setContextClassLoader(loader);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        Appender<ILoggingEvent> appender = root.getAppender("weir-testkit-console");
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        assertThat(appender.isStarted()).isTrue();
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appender;
        assertThat(console.getTarget()).isEqualTo("System.out");

        Logger pipeline = context.getLogger("io.weir.core.internal.pipeline.RequestPipeline");
        LoggingEvent failure = new LoggingEvent(
                Logger.class.getName(),
                pipeline,
                Level.ERROR,
                "module 'Greeter' failed in BEGIN_REQUEST",
                new IllegalStateException("boom"),
                null);
        String line = new String(console.getEncoder().encode(failure), StandardCharsets.UTF_8);
        assertThat(line)
                .containsPattern(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[.*\\] .*module 'Greeter' failed in BEGIN_REQUEST")
                .contains("java.lang.IllegalStateException: boom")
                .contains("\tat ");
        assertThat(context.getLogger("io.weir.core.WeirEngine").isDebugEnabled())
                .isFalse();
        assertThat(context.getLogger("weir.access").isInfoEnabled())
                .as("the per-request line is off in tests")
                .isFalse();
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }

    @Test
    void aProjectsOwnConfigurationFileWins() {
        // this module's tests have src/test/resources/logback-test.xml
        assertThat(Thread.currentThread().getContextClassLoader().getResource("logback-test.xml"))
                .isNotNull();
        LoggerContext context = new LoggerContext();
        TestLogConfigurator configurator = new TestLogConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME)
                        .iteratorForAppenders()
                        .hasNext())
                .isFalse();
    }
}
