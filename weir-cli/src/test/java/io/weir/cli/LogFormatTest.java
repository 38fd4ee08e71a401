package io.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The log format of {@code weir serve} (the logback.xml of the command line): people's text by
 * default, one JSON object per line when {@code weir.log.format} (or {@code WEIR_LOG_FORMAT}) is
 * {@code json}. Each format is read from the root logger's one appender, as configured.
 */
class LogFormatTest {

    /** Configures a fresh Logback context from the command line's logback.xml and encodes two events. */
    private static List<String> encode(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            if (format != null) {
                context.putProperty("weir.log.format", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            var appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            @SuppressWarnings("unchecked")
            var appender = (OutputStreamAppender<ILoggingEvent>) appenders.next();
            assertThat(appenders.hasNext()).isFalse();
            assertThat(appender.getName()).isEqualTo(format == null ? "text" : format);
            ch.qos.logback.classic.Logger logger = context.getLogger("io.weir.server.WeirServer");
            LoggingEvent info = new LoggingEvent(
                    Logger.class.getName(), logger, Level.INFO, "listening on {} with \"quotes\"", null, new Object[] {
                        "http://*:8080/"
                    });
            LoggingEvent warn = new LoggingEvent(
                    Logger.class.getName(),
                    logger,
                    Level.WARN,
                    "a module threw",
                    new IllegalStateException("boom"),
                    null);
            StringBuilder out = new StringBuilder();
            for (LoggingEvent e : List.of(info, warn)) {
                out.append(new String(appender.getEncoder().encode(e), StandardCharsets.UTF_8));
            }
            return out.toString().lines().toList();
        } finally {
            context.stop();
        }
    }

    @Test
    void textIsTheDefault() throws Exception {
        List<String> lines = encode(null);
        assertThat(lines.get(0))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  WeirServer - listening on http://\\*:8080/"
                        + " with \"quotes\"");
    }

    @Test
    void jsonWritesOneObjectPerEvent() throws Exception {
        List<String> lines = encode("json");
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        assertThat(lines.get(0))
                .contains(
                        "\"level\":\"INFO\"",
                        "\"loggerName\":\"io.weir.server.WeirServer\"",
                        "\"formattedMessage\":\"listening on http:\\/\\/*:8080\\/ with \\\"quotes\\\"\"");
        assertThat(lines.get(1)).contains("\"level\":\"WARN\"", "IllegalStateException", "boom");
    }
}
