package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.api.HttpModule;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.core.internal.context.RequestLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Weir's log message about a request (a module that threw) carries the request's id in the MDC
 * ({@code requestId}), the id the message names, so that the JSON log format writes it as a field;
 * the thread's MDC is as it was afterwards.
 */
class RequestIdLogContextTest {

    /** Keeps each event with the MDC of the moment it was logged, as a console appender encodes it. */
    private static final class Capture extends ListAppender<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    }

    @Test
    void aModuleThatThrowsIsLoggedWithTheRequestIdInTheMdc() {
        ModuleRegistration thrower = (version, info, server) -> info.setRequestNotifications(
                a -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                        throw new IllegalStateException("boom");
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                Set.of());
        Logger logger = (Logger) LoggerFactory.getLogger("io.weir.core.internal.pipeline.ModuleInvoker");
        Capture capture = new Capture();
        capture.start();
        logger.addAppender(capture);
        List<ILoggingEvent> events;
        try (PipelineHarness weir =
                PipelineHarness.start(WeirTestConfig.create().module("Thrower", thrower))) {
            assertThat(weir.get("/").status()).isEqualTo(500);
            events = new ArrayList<>(capture.list);
        } finally {
            logger.detachAppender(capture);
        }
        ILoggingEvent threw = events.stream()
                .filter(e -> e.getFormattedMessage().startsWith("module 'Thrower' threw in BEGIN_REQUEST"))
                .findFirst()
                .orElseThrow();
        Matcher named = Pattern.compile("request ([0-9a-f]{16})\\)").matcher(threw.getFormattedMessage());
        assertThat(named.find()).as(threw.getFormattedMessage()).isTrue();
        assertThat(threw.getMDCPropertyMap()).containsEntry(RequestLog.MDC_KEY, named.group(1));
        assertThat(MDC.get(RequestLog.MDC_KEY)).isNull();

        JsonEncoder json = new JsonEncoder();
        json.setContext(logger.getLoggerContext());
        json.start();
        assertThat(new String(json.encode(threw), StandardCharsets.UTF_8))
                .containsPattern("\"mdc\":\\s*\\{\\s*\"requestId\":\\s*\"" + named.group(1) + "\"");
    }
}
