package io.weir.modules.fastcgi;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import java.util.concurrent.Callable;

/**
 * Runs FastCgiModule's blocking work for one request on the server's blocking executor (a virtual
 * thread) and resumes the request with its outcome, as the engine does for a notification declared
 * blocking; the module does its own offloading so that its event-loop path ({@link LoopExchange})
 * costs no thread switch. One call runs at a time: a completion that arrives (on the event loop)
 * while a call still runs, such as a piece of the entity read by that call, is held and run by the
 * same virtual thread once the call has returned PENDING. A call that throws resumes the request
 * with {@code postCompletion}, and {@link #rethrowFailure()} throws it again on the event loop, so
 * that the engine answers it as it answers a module's exception.
 */
final class OffloadedCalls {

    private final Object lock = new Object();
    private boolean running;
    private Callable<RequestNotificationStatus> held;
    private volatile Throwable failure;

    /**
     * Runs {@code call} on a virtual thread, or holds it while another call runs.
     *
     * @param context the request
     * @param call    the blocking work; returns the notification's status
     * @return PENDING (the virtual thread resumes the request)
     */
    RequestNotificationStatus offload(HttpContext context, Callable<RequestNotificationStatus> call) {
        synchronized (lock) {
            if (running) {
                held = call;
                return RequestNotificationStatus.PENDING;
            }
            running = true;
        }
        context.server().blockingExecutor().execute(() -> run(context, call));
        return RequestNotificationStatus.PENDING;
    }

    private void run(HttpContext context, Callable<RequestNotificationStatus> first) {
        Callable<RequestNotificationStatus> call = first;
        while (true) {
            RequestNotificationStatus status;
            try {
                status = call.call();
            } catch (Throwable t) {
                status = null;
                failure = t;
            }
            synchronized (lock) {
                if (status == RequestNotificationStatus.PENDING && held != null) {
                    call = held;
                    held = null;
                    continue;
                }
                running = false;
                held = null;
            }
            if (status == null) {
                context.postCompletion(0);
            } else if (status != RequestNotificationStatus.PENDING) {
                context.indicateCompletion(status);
            }
            return;
        }
    }

    /**
     * Throws the exception of a call that failed, on the event loop (from {@code onAsyncCompletion}).
     *
     * @throws RuntimeException the call's unchecked exception, or its checked one wrapped
     * @throws Error            the call's error
     */
    void rethrowFailure() {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        failure = null;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
