package io.weir.core.internal.context;

import io.weir.api.config.ConfigException;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.HttpStatus;
import io.weir.core.spi.RequestBody;

/**
 * How a request's errors are set and recorded: the response a failure gives (500.0, 500.19, or a
 * dropped connection once the headers are out), and which module and notification set an error
 * status, as IIS's {@code IHttpResponse::GetStatus} reports them and the detailed error page and
 * failed-request traces show them. The record lives on the top-level request. On the request's
 * event loop.
 */
final class RequestErrors {

    private RequestErrors() {}

    /**
     * Turns the response into the error for a failure: 500.19 for a configuration error, 500.0
     * otherwise; when the headers are already out, the connection is dropped instead.
     */
    static void failResponse(ResponseImpl response, Throwable error) {
        if (response.headersSent()) {
            response.dropConnection();
            return;
        }
        if (error instanceof EntityReadException && response.statusCode() >= 400) {
            return; // a module let a failed entity read propagate: keep the limit's status (404.13, 413)
        }
        response.clear();
        if (error instanceof ConfigException ce) {
            response.setStatus(HttpStatus.CONFIGURATION_INVALID, error);
            response.setErrorDescription("The configuration is invalid: " + ce.getMessage());
        } else {
            response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR, error);
        }
    }

    /**
     * Records the error behind the current status while the headers are unsent and no error is
     * recorded yet ({@code SetErrorStatus} of a notification's provider): for the log and detailed
     * error pages; processing does not change.
     */
    static void recordErrorStatus(ResponseImpl response, Throwable error) {
        if (!response.headersSent() && response.statusError().isEmpty()) {
            response.setStatus(response.status(), error, response.trySkipCustomErrors());
        }
    }

    /**
     * The request entity failed (a limit, bad coding, the client gone): the rest of the body is not
     * read, so the connection closes after the response; a body over the transport's server-wide
     * cap gets 413, a malformed one 400, when no status error was set and nothing was sent.
     */
    static void entityFailed(ResponseImpl response, Throwable cause) {
        response.setNeedDisconnect();
        if (cause instanceof RequestBody.EntityTooLargeException
                && !response.headersSent()
                && response.statusCode() < 400) {
            response.setStatus(new HttpStatus(413, 0, "Request Entity Too Large"), cause, false);
        }
        if (cause instanceof RequestBody.MalformedEntityException
                && !response.headersSent()
                && response.statusCode() < 400) {
            response.setStatus(new HttpStatus(400, 0, "Bad Request"), cause, false);
        }
    }

    /**
     * Notes which module set an error status, as IIS's {@code GetStatus} reports the module and
     * notification that set it; called by the response when a status of 400 or more is set while a
     * module's notification method runs.
     */
    static void statusSetByCurrentModule(RequestContext context) {
        RequestContext root = context;
        while (root.parent != null) {
            root = root.parent;
        }
        RequestContext running = root;
        while (running.runningChild != null) {
            running = running.runningChild;
        }
        if (running.pipeline != null) {
            String module = running.pipeline.currentModuleName();
            if (module != null) {
                root.errorModule = module;
                root.errorNotification = running.pipeline.position();
                RequestTraceContext t = root.activeTrace();
                if (t != null) {
                    t.errorStatus(module, root.errorNotification);
                }
            }
        }
    }

    /** @return the module recorded as having set the error status, or null */
    static String recordedModule(RequestContext root) {
        return root.errorModule;
    }

    /** @return the notification recorded with {@link #recordedModule}, or null */
    static String recordedNotification(RequestContext root) {
        return root.errorModule == null ? null : root.errorNotification;
    }

    /** @return the module for the detailed error page */
    static String moduleForPage(RequestContext context) {
        return context.errorModule == null ? "Not yet determined" : context.errorModule;
    }

    /** @return the notification for the detailed error page */
    static String notificationForPage(RequestContext context) {
        return context.errorNotification == null
                ? (context.pipeline == null ? "" : context.pipeline.position())
                : context.errorNotification;
    }
}
