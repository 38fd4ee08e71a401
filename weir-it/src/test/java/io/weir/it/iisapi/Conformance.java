package io.weir.it.iisapi;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.testkit.RawHttp;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * What the IIS API conformance tests share: registering a module as a lambda, one GET over
 * loopback, and capturing a logger's messages.
 */
final class Conformance {

    static final Set<RequestNotification> NONE = Set.of();

    private Conformance() {}

    /** A registration of one module instance per request, for the given notifications; the factory gets the module's id. */
    static ModuleRegistration module(Set<RequestNotification> notifications, Function<ModuleId, HttpModule> create) {
        return (version, info, server) ->
                info.setRequestNotifications(a -> create.apply(info.id()), notifications, NONE);
    }

    /** Sends {@code GET path} on a new connection and reads the response. */
    static RawHttp.Response get(int port, String path) {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    }

    /** The messages one logger writes while it is open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(String loggerName) {
            this.logger = (Logger) LoggerFactory.getLogger(loggerName);
            appender.start();
            logger.addAppender(appender);
        }

        List<String> messages() {
            synchronized (appender) {
                return appender.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
            }
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
