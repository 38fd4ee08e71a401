package io.weir.modules.customerror;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.HttpEventProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A test module that sets an error the way a real module would, in the stage the query string
 * names: {@code ?at=BEGIN_REQUEST|AUTHENTICATE_REQUEST|EXECUTE_REQUEST_HANDLER&status=401&sub=1
 * &body=text&skip=true&desc=text&throw=1}. Outside the handler it ends the request with
 * FINISH_REQUEST, as RequestFilteringModule and authentication modules do; in the handler it is
 * the {@code Raise} mapping's module. Without {@code at} the handler answers 200 "raised nothing".
 */
public final class ErrorRaisingModuleRegistration implements ModuleRegistration {

    /** For ServiceLoader-style loading by {@code type=}. */
    public ErrorRaisingModuleRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new Raising(),
                EnumSet.of(
                        RequestNotification.BEGIN_REQUEST,
                        RequestNotification.AUTHENTICATE_REQUEST,
                        RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }

    private static final class Raising implements HttpModule {

        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
            return raise(context, "BEGIN_REQUEST");
        }

        @Override
        public RequestNotificationStatus onAuthenticateRequest(HttpContext context, AuthenticationProvider provider) {
            return raise(context, "AUTHENTICATE_REQUEST");
        }

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
            Map<String, String> q = query(context);
            if (!q.containsKey("at")) {
                context.response().setHeader("Content-Type", "text/plain", true);
                context.response().writeEntityChunks(DataChunk.ofUtf8("raised nothing"));
                return RequestNotificationStatus.CONTINUE;
            }
            return raise(context, "EXECUTE_REQUEST_HANDLER");
        }

        private static RequestNotificationStatus raise(HttpContext context, String stage) {
            if (context.parentContext().isPresent()) {
                return RequestNotificationStatus.CONTINUE;
            }
            Map<String, String> q = query(context);
            if (!stage.equals(q.get("at"))) {
                return RequestNotificationStatus.CONTINUE;
            }
            if (q.containsKey("throw")) {
                throw new IllegalStateException("raised for the test in " + stage);
            }
            int code = Integer.parseInt(q.getOrDefault("status", "500"));
            int sub = Integer.parseInt(q.getOrDefault("sub", "0"));
            HttpStatus status = new HttpStatus(code, sub, q.getOrDefault("reason", "Raised"));
            context.response().setStatus(status, null, Boolean.parseBoolean(q.get("skip")));
            if (q.containsKey("desc")) {
                context.response().setErrorDescription(q.get("desc"));
            }
            if (q.containsKey("body")) {
                context.response().setHeader("Content-Type", "text/plain; charset=utf-8", true);
                context.response().writeEntityChunks(DataChunk.ofUtf8(q.get("body")));
            }
            return stage.equals("EXECUTE_REQUEST_HANDLER")
                    ? RequestNotificationStatus.CONTINUE
                    : RequestNotificationStatus.FINISH_REQUEST;
        }

        private static Map<String, String> query(HttpContext context) {
            Map<String, String> map = new HashMap<>();
            for (String pair : context.request().queryString().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    map.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return map;
        }
    }
}
