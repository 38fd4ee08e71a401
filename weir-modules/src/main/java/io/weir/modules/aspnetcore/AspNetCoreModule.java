package io.weir.modules.aspnetcore;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.modules.proxy.ProxyRoute;
import io.weir.modules.proxy.ProxySection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The ASP.NET Core Module ({@code AspNetCoreModuleV2}, {@code aspnetcorev2.dll}) with
 * {@code hostingModel="outofprocess"}, for one request: the handler of the mapping
 * {@code dotnet publish} writes ({@code <add name="aspNetCore" path="*" verb="*"
 * modules="AspNetCoreModuleV2" resourceType="Unspecified" />}).
 *
 * <p>In EXECUTE_REQUEST_HANDLER it asks for the application's process (see
 * {@link AspNetCoreApplication}: started with {@code ASPNETCORE_PORT}, {@code ASPNETCORE_TOKEN} and
 * {@code ASPNETCORE_APPL_PATH} in its environment, waited for until it listens); while the process
 * starts, the request is PENDING. Then it forwards the request through the reverse proxy's
 * handler ({@link ProxyRoute}) to {@code http://127.0.0.1:<port>}: the client's {@code Host} is
 * kept, {@code X-Forwarded-For} (with the client's port) and {@code X-Forwarded-Proto} are added,
 * and {@code MS-ASPNETCORE-TOKEN} carries the process's token (an ASP.NET Core application behind
 * IIS integration refuses requests without it); {@code requestTimeout} is the proxy's timeout
 * (502.3 when exceeded or when the process fails mid-request). When the process cannot be started
 * (it exits or does not listen within {@code startupTimeLimit}, or crashed more than
 * {@code rapidFailsPerMinute} times in the last minute), the client gets 502.5, the ASP.NET Core
 * Module's "process failure". {@code hostingModel="inprocess"} is a configuration error (500.19).
 */
final class AspNetCoreModule implements HttpModule {

    /** The module's name in {@code <globalModules>}, {@code <modules>} and the handler mapping, as in IIS. */
    static final String MODULE_NAME = "AspNetCoreModuleV2";
    /** The header carrying the pairing token to the process. */
    static final String TOKEN_HEADER = "MS-ASPNETCORE-TOKEN";
    /** 502.5: the application's process failed to start (the ASP.NET Core Module's substatus). */
    static final HttpStatus PROCESS_FAILURE = new HttpStatus(502, 5, "Bad Gateway");

    private static final long RESPONSE_BUFFER_LIMIT = 4_194_304L;

    private final AspNetCoreApplications applications;
    private CompletableFuture<AspNetCoreApplication.Backend> waiting;
    private AspNetCoreSection section;
    private HttpModule forwarder;

    AspNetCoreModule(AspNetCoreApplications applications) {
        this.applications = applications;
    }

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        section = context.config(AspNetCoreSection.SECTION);
        CompletableFuture<AspNetCoreApplication.Backend> ready =
                applications.of(context.application()).ready(section);
        if (ready.isDone()) {
            return forward(context, provider, ready);
        }
        waiting = ready;
        ready.whenComplete((backend, failure) -> context.postCompletion(0));
        return RequestNotificationStatus.PENDING;
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (forwarder != null) {
            return forwarder.onAsyncCompletion(context, notification, postNotification, provider, completionInfo);
        }
        CompletableFuture<AspNetCoreApplication.Backend> ready = waiting;
        waiting = null;
        if (ready == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        return forward(context, provider, ready);
    }

    private RequestNotificationStatus forward(
            HttpContext context, HttpEventProvider provider, CompletableFuture<AspNetCoreApplication.Backend> ready) {
        AspNetCoreApplication.Backend backend;
        try {
            backend = ready.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            HttpResponse response = context.response();
            context.setRequestHandled();
            response.clear();
            response.setStatus(PROCESS_FAILURE, cause);
            response.setErrorDescription(
                    "ASP.NET Core Module: the application's process failed: " + cause.getMessage());
            response.setNeedDisconnect();
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        forwarder = new ProxyRoute(
                        "http://127.0.0.1:" + backend.port(),
                        forwarding(section.requestTimeout()),
                        List.of(Map.entry(TOKEN_HEADER, backend.token())))
                .handler();
        return forwarder.onExecuteRequestHandler(context, provider);
    }

    /** The proxy settings of a forwarded request: the client's Host, no ARR log id, no Location rewriting. */
    private static ProxySection forwarding(Duration requestTimeout) {
        return new ProxySection(
                true,
                ProxySection.HttpVersion.HTTP11,
                true,
                requestTimeout,
                true,
                false,
                "X-Forwarded-For",
                true,
                96,
                RESPONSE_BUFFER_LIMIT,
                "");
    }

    @Override
    public void dispose() {
        if (forwarder != null) {
            forwarder.dispose();
        }
    }
}
