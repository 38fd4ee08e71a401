package io.weir.it.pipeline;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.MapHandlerProvider;
import io.weir.api.provider.SendResponseProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * A test module that records every notification it gets and acts on two request headers:
 * {@code X-Finish: Name:NOTIFICATION} makes module Name return FINISH_REQUEST there (after writing
 * "finished by Name" with status 200), {@code X-Throw: Name:NOTIFICATION} makes it throw there.
 */
final class RecordingModule implements HttpModule {

    private final String name;

    RecordingModule(String name) {
        this.name = name;
        Recorder.CREATED.incrementAndGet();
    }

    private RequestNotificationStatus on(HttpContext c, String notification) {
        String label = name + ":" + notification;
        Recorder.record(c, label);
        if (c.request().header("X-Throw").filter(label::equals).isPresent()) {
            throw new IllegalStateException("test module " + label + " throws as asked");
        }
        if (c.request().header("X-Finish").filter(label::equals).isPresent()) {
            c.response().setHeader("Content-Type", "text/plain", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("finished by " + name));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        return RequestNotificationStatus.CONTINUE;
    }

    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
        return on(c, "BEGIN_REQUEST");
    }

    @Override
    public RequestNotificationStatus onPostBeginRequest(HttpContext c, HttpEventProvider p) {
        return on(c, "POST_BEGIN_REQUEST");
    }

    @Override
    public RequestNotificationStatus onAuthenticateRequest(HttpContext c, AuthenticationProvider p) {
        return on(c, "AUTHENTICATE_REQUEST");
    }

    @Override
    public RequestNotificationStatus onAuthorizeRequest(HttpContext c, HttpEventProvider p) {
        return on(c, "AUTHORIZE_REQUEST");
    }

    @Override
    public RequestNotificationStatus onMapRequestHandler(HttpContext c, MapHandlerProvider p) {
        return on(c, "MAP_REQUEST_HANDLER");
    }

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
        return on(c, "EXECUTE_REQUEST_HANDLER");
    }

    @Override
    public RequestNotificationStatus onReleaseRequestState(HttpContext c, HttpEventProvider p) {
        return on(c, "RELEASE_REQUEST_STATE");
    }

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext c, SendResponseProvider p) {
        return on(c, "SEND_RESPONSE");
    }

    @Override
    public RequestNotificationStatus onLogRequest(HttpContext c, HttpEventProvider p) {
        return on(c, "LOG_REQUEST");
    }

    @Override
    public RequestNotificationStatus onEndRequest(HttpContext c, HttpEventProvider p) {
        return on(c, "END_REQUEST");
    }

    @Override
    public void dispose() {
        Recorder.DISPOSED.incrementAndGet();
    }

    /** The notifications every recording module registers for. */
    static final Set<RequestNotification> NOTIFICATIONS = EnumSet.of(
            RequestNotification.BEGIN_REQUEST,
            RequestNotification.AUTHENTICATE_REQUEST,
            RequestNotification.AUTHORIZE_REQUEST,
            RequestNotification.MAP_REQUEST_HANDLER,
            RequestNotification.EXECUTE_REQUEST_HANDLER,
            RequestNotification.RELEASE_REQUEST_STATE,
            RequestNotification.SEND_RESPONSE,
            RequestNotification.LOG_REQUEST,
            RequestNotification.END_REQUEST);
}
