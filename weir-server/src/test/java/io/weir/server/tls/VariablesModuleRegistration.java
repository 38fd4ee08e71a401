package io.weir.server.tls;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The handler of the TLS tests: {@code /file} answers the file {@link #file} (a file chunk, which
 * must pass through TLS and HTTP/2), anything else answers the TLS server variables as
 * {@code NAME=value} lines and the client certificate count.
 */
public final class VariablesModuleRegistration implements ModuleRegistration {

    static final String[] NAMES = {
        "HTTPS",
        "SERVER_PORT_SECURE",
        "SERVER_PROTOCOL",
        "HTTPS_KEYSIZE",
        "HTTPS_SERVER_SUBJECT",
        "HTTPS_SERVER_ISSUER",
        "CERT_SUBJECT",
        "CERT_ISSUER",
        "CERT_FLAGS",
        "SSL_PROTOCOL",
        "INSTANCE_NAME"
    };

    /** The file {@code /file} serves. */
    static volatile Path file;

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        context.response().setStatus(HttpStatus.OK);
                        if (context.request().urlPath().equals("/file")) {
                            context.response().setHeader("Content-Type", "application/octet-stream", true);
                            context.response()
                                    .writeEntityChunks(
                                            DataChunk.ofFile(file, file.toFile().length()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                        StringBuilder text = new StringBuilder();
                        for (String name : NAMES) {
                            text.append(name)
                                    .append('=')
                                    .append(context.serverVariable(name).orElse("<none>"))
                                    .append('\n');
                        }
                        text.append("clientCertificates=")
                                .append(context.connection()
                                        .clientCertificates()
                                        .size())
                                .append('\n');
                        context.response().setHeader("Content-Type", "text/plain", true);
                        context.response().writeEntityChunks(DataChunk.ofUtf8(text.toString()));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
    }
}
