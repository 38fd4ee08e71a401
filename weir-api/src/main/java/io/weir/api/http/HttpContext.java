package io.weir.api.http;

import io.weir.api.HttpServer;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.api.websocket.WebSocketContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One request as it goes through the pipeline; mirrors IIS's {@code IHttpContext}.
 *
 * <p>Unless a method says otherwise it may be called only from a notification method of the
 * request (on the request's event loop) and only until {@link io.weir.api.HttpModule#dispose()};
 * the completion methods ({@link #indicateCompletion}, {@link #postCompletion}) may be called
 * from any thread.
 */
public interface HttpContext {

    /**
     * Returns the request.
     *
     * @return the request, never null
     */
    HttpRequest request();

    /**
     * Returns the response.
     *
     * @return the response, never null
     */
    HttpResponse response();

    /**
     * Returns the site the request was routed to.
     *
     * @return the site, never null
     */
    HttpSite site();

    /**
     * Returns the application that serves the request.
     *
     * @return the application, never null
     */
    HttpApplication application();

    /**
     * Returns the client connection.
     *
     * @return the connection, never null
     */
    HttpConnection connection();

    /**
     * Returns the server's process-wide services.
     *
     * @return the server, never null
     */
    HttpServer server();

    /**
     * Returns the authenticated user; mirrors {@code GetUser}.
     *
     * @return the user, or empty before AUTHENTICATE_REQUEST has produced one
     */
    Optional<HttpUser> user();

    /**
     * Returns the effective configuration section for this request's URL, bound to the module's
     * own record type. The bound value is computed once per distinct effective configuration and
     * cached, so calling this on every request is cheap.
     *
     * @param type names the section and binds it
     * @param <T>  the record type
     * @return the bound section; a section absent from every file binds to its defaults
     */
    <T> T config(ConfigSectionType<T> type);

    /**
     * Returns the physical path the request URL maps to, through MAP_PATH; mirrors
     * {@code GetPhysicalPath}.
     *
     * @return the absolute path (it need not exist)
     */
    Path physicalPath();

    /**
     * Maps any URL of this request's site to a physical path, raising
     * {@link RequestNotification#MAP_PATH}; mirrors {@code MapPath}.
     *
     * @param url an absolute URL path, for example {@code "/images/a.png"}
     * @return the absolute physical path (it need not exist)
     */
    Path mapPath(String url);

    /**
     * Returns the metadata of {@link #physicalPath()} through the server's file cache; mirrors
     * {@code GetFileInfo}.
     *
     * @return the file's information, or empty when nothing exists there
     */
    Optional<HttpFileInfo> fileInfo();

    /**
     * Returns the handler mapping chosen for this request; mirrors {@code GetScriptMap}.
     *
     * @return the mapping, or empty before MAP_REQUEST_HANDLER or when none matched
     */
    Optional<ScriptMapInfo> scriptMap();

    /**
     * Returns the path information of the request's URL: what follows the script part when the
     * chosen handler mapping has {@code allowPathInfo="true"} and its {@code path} matched a
     * segment before the end of the URL path. For {@code /app/index.php/extra/path} and a
     * {@code *.php} mapping with {@code allowPathInfo}, it is {@code /extra/path}; the
     * {@link #physicalPath()} and {@link #fileInfo()} are then those of {@code /app/index.php}. This
     * is the {@code PATH_INFO} server variable of IIS for such a mapping (IIS gives the whole URL
     * there for a mapping without {@code allowPathInfo}; this method then returns ""). Decoded, as
     * the URL path is. Set at MAP_REQUEST_HANDLER; a module replacing the mapping does not change it.
     *
     * @return the path information, starting with '/'; "" when there is none, and before
     *         MAP_REQUEST_HANDLER
     */
    String pathInfo();

    /**
     * Returns the script part of the request's URL path: the URL path without {@link #pathInfo()};
     * IIS's {@code SCRIPT_NAME} for a mapping with {@code allowPathInfo}.
     *
     * @return the URL path up to the end of the script's segment; the whole URL path when there is
     *         no path information
     */
    default String scriptName() {
        String url = request().urlPath();
        String pathInfo = pathInfo();
        return url.endsWith(pathInfo) ? url.substring(0, url.length() - pathInfo.length()) : url;
    }

    /**
     * Marks the handler's work as done, so that the remaining modules of the handler's
     * {@code modules} list do not get EXECUTE_REQUEST_HANDLER; mirrors {@code SetRequestHandled}.
     */
    void setRequestHandled();

    /**
     * Tells whether some module has already sent the response headers (a flush); after that,
     * status and header changes fail. Mirrors {@code GetResponseHeadersSent}.
     *
     * @return true once the headers are on the wire
     */
    boolean responseHeadersSent();

    /**
     * Turns off the calling module's remaining notifications for this request. Mirrors
     * {@code DisableNotifications}: the calling module is the one whose notification method is
     * running, also when that is SEND_RESPONSE, READ_ENTITY, MAP_PATH or a custom notification
     * raised from another module's call; the non-deterministic notifications (SEND_RESPONSE,
     * READ_ENTITY, MAP_PATH, CUSTOM_NOTIFICATION) can be turned off as well as the deterministic
     * ones. Other modules are never affected.
     *
     * @param notifications     notifications not to deliver to the calling module any more
     * @param postNotifications post-notifications not to deliver to the calling module any more
     */
    void disableNotifications(Set<RequestNotification> notifications, Set<RequestNotification> postNotifications);

    /**
     * Moves the calling module's running call on to its next notification, when nothing else would
     * run in between; mirrors {@code GetNextNotification}. Instead of returning {@code status} to
     * the pipeline and being called again for its next notification, the module does that
     * notification's work in the same call; what the call finally returns is that notification's
     * result, and the notification it came from counts as having returned {@code status}.
     *
     * <p>The merge happens only when all of these hold, otherwise nothing changes and the result is
     * empty: the call is the module's deterministic notification (not SEND_RESPONSE, READ_ENTITY,
     * MAP_PATH, a custom notification or {@code onAsyncCompletion}); {@code status} is CONTINUE
     * (or, in LOG_REQUEST and END_REQUEST, FINISH_REQUEST, which counts as CONTINUE there); the
     * module's next delivery is a deterministic notification with no other module's delivery before
     * it; and the step does not cross a point where the engine itself works between two
     * notifications: the re-mapping after BEGIN_REQUEST, the handler mapping before and after
     * MAP_REQUEST_HANDLER's modules, or the final send. Neither notification may be declared
     * blocking. Call it on the request's event loop, from the module's own notification method.
     *
     * @param status what the current notification would return: CONTINUE to go on
     * @return the notification now being processed, or empty when the call could not move on (the
     *         module then returns {@code status} as usual)
     */
    Optional<NextNotification> nextNotification(RequestNotificationStatus status);

    /**
     * Tells whether the current notification is the calling module's last for this request, if it
     * returns {@code status}; mirrors {@code GetIsLastNotification}. A module uses it to do its
     * end-of-request work early. Counted are the deterministic notifications still ahead given
     * {@code status} (FINISH_REQUEST skips to the final send, so only SEND_RESPONSE, LOG_REQUEST
     * and END_REQUEST remain) and SEND_RESPONSE while the final send is ahead, each only when the
     * module registered it and did not disable it; MAP_PATH, READ_ENTITY and CUSTOM_NOTIFICATION,
     * raised only when another call causes them, are not counted. For EXECUTE_REQUEST_HANDLER before
     * the handler is mapped, every module that registered it counts.
     *
     * @param status what the current notification would return
     * @return true when no further notification of the module is ahead
     * @throws IllegalStateException when no notification method of the request is running
     */
    boolean isLastNotification(RequestNotificationStatus status);

    /**
     * Returns a server variable; mirrors {@code GetServerVariable}. Supported names include
     * {@code URL}, {@code QUERY_STRING}, {@code REQUEST_METHOD}, {@code REMOTE_ADDR},
     * {@code REMOTE_PORT}, {@code LOCAL_ADDR}, {@code SERVER_PORT}, {@code SERVER_NAME},
     * {@code SERVER_PROTOCOL}, {@code SERVER_SOFTWARE}, {@code HTTPS}, {@code PATH_TRANSLATED},
     * {@code APPL_PHYSICAL_PATH}, {@code INSTANCE_ID}, {@code INSTANCE_NAME}, {@code AUTH_USER},
     * {@code HTTP_<HEADER>} and any set with {@link #setServerVariable}.
     *
     * @param name the variable's name, case-insensitive
     * @return the value, or empty when the variable is unknown
     */
    Optional<String> serverVariable(String name);

    /**
     * Sets (or creates) a server variable; mirrors {@code SetServerVariable}.
     *
     * @param name  the variable's name
     * @param value the value
     */
    void setServerVariable(String name, String value);

    /**
     * Returns the per-request store; mirrors {@code GetModuleContextContainer}.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();

    /**
     * Returns the request's store keyed by name; mirrors {@code IHttpContext3::GetNamedContextContainer}.
     * Created on first use; what is stored is cleaned up when the request ends (a child request has
     * its own).
     *
     * @return the container, never null
     */
    NamedContextContainer namedContextContainer();

    /**
     * Returns the server's state cached for this request's URL; mirrors {@code GetUrlInfo}. The
     * entry is shared by every request for the same site and URL path (the rewritten one after
     * {@code setUrl}); its container keeps what modules store there until the entry leaves the
     * cache (10,000 URLs at most, dropped after 2 minutes without a request asking for it), when
     * the stored contexts are cleaned up. A call counts as a hit of the URL for
     * {@link HttpUrlInfo#isFrequentlyHit()}.
     *
     * @return the URL's entry, never null
     */
    HttpUrlInfo urlInfo();

    /**
     * Returns the configuration metadata of this request's URL (the rewritten one after
     * {@code setUrl}): its configuration path, its virtual directory's physical path and a module
     * context container; mirrors {@code IHttpContext::GetMetadata}. Callable from any
     * notification, on the request's thread; unlike {@link #urlInfo()} it does not count a hit.
     *
     * @return the URL's metadata, never null; the same object for every request of the site and
     *         URL path while the server's per-URL entry lives
     */
    HttpMetadataInfo metadata();

    /**
     * Returns the request's trace context; mirrors {@code GetTraceContext}.
     *
     * @return the trace context, never null
     */
    HttpTraceContext traceContext();

    /**
     * Returns the context of the request that started this one as a child request.
     *
     * @return the parent, or empty for a request from a client
     */
    Optional<HttpContext> parentContext();

    /**
     * Runs a child request for another URL of the same site through the pipeline, its entity going
     * into this request's response; mirrors {@code CloneContext} (basics and headers) followed by
     * {@code ExecuteRequest} with this request's user ({@code GetUser()}). The child inherits the
     * verb and a copy of the request headers ({@link CloneFlag#BASICS} and {@link CloneFlag#HEADERS}:
     * its header changes never reach this request); it is mapped and configured for its own URL;
     * it gets no entity (see {@link #executeRequest(String, Set, Set, HttpUser)} for the others).
     * When this request has a user the child skips AUTHENTICATE_REQUEST and has that user (IIS: a
     * non-NULL {@code pHttpUser}); use {@link #executeRequest(String, Set, HttpUser)} to choose.
     * Nesting is limited to 10 levels, as in IIS.
     *
     * <p>Which notifications a child raises: every deterministic stage and its post-notification,
     * on the modules of the child's URL, and its own MAP_PATH, READ_ENTITY and CUSTOM_NOTIFICATION;
     * not GL_PRE_BEGIN_REQUEST, and not SEND_RESPONSE: the child's output is part of this request's
     * response, and every send of that response raises SEND_RESPONSE on this request's modules.
     * The {@link ExecuteFlag}s are honoured as their Javadoc says.
     *
     * <p>The child may go asynchronous (a module of it returns PENDING): this method then returns
     * true, the caller must return PENDING, and when the child has ended (END_REQUEST, dispose) the
     * caller's {@link io.weir.api.HttpModule#onAsyncCompletion} runs on the request's event loop
     * with a {@link CompletionInfo} of 0 bytes, as IIS completes {@code ExecuteRequest}.
     *
     * @param url   the child's absolute URL path, optionally with a query string (ignored with
     *              {@link ExecuteFlag#SAME_URL})
     * @param flags options
     * @return true when the child went asynchronous and the caller must return PENDING; false when
     *         it completed
     * @throws IllegalStateException    if nesting exceeds 10 levels
     * @throws IllegalArgumentException if {@code url} is not an absolute URL path
     */
    boolean executeRequest(String url, Set<ExecuteFlag> flags);

    /**
     * As {@link #executeRequest(String, Set)}, with the child's user given: a non-null user means
     * the child is authenticated as that user and skips AUTHENTICATE_REQUEST; null means the child
     * authenticates on its own (its AUTHENTICATE_REQUEST runs and it does not see this request's
     * user). Mirrors {@code ExecuteRequest}'s {@code pHttpUser}.
     *
     * @param url   the child's absolute URL path, optionally with a query string
     * @param flags options
     * @param user  the child's user, or null
     * @return true when the child went asynchronous and the caller must return PENDING
     */
    boolean executeRequest(String url, Set<ExecuteFlag> flags, HttpUser user);

    /**
     * As {@link #executeRequest(String, Set, HttpUser)}, with what the child takes from this request
     * chosen as IIS's {@code CloneContext} flags choose it: the verb, a copy of the headers (with or
     * without the conditional and WebDAV ones) and the entity ({@link CloneFlag}). Mirrors
     * {@code CloneContext(dwCloneFlags)} followed by {@code ExecuteRequest}.
     *
     * @param url   the child's absolute URL path, optionally with a query string
     * @param flags execute options
     * @param clone what the child takes from this request; empty for a bare GET without headers
     * @param user  the child's user, or null for a child that authenticates on its own
     * @return true when the child went asynchronous and the caller must return PENDING
     * @throws IllegalStateException    if nesting exceeds 10 levels
     * @throws IllegalArgumentException if {@code url} is not an absolute URL path
     */
    boolean executeRequest(String url, Set<ExecuteFlag> flags, Set<CloneFlag> clone, HttpUser user);

    /**
     * Returns the flags this request was executed with as a child. Mirrors {@code GetExecuteFlags}.
     *
     * @return the flags; empty for a request from a client
     */
    Set<ExecuteFlag> executeFlags();

    /**
     * Raises {@link RequestNotification#CUSTOM_NOTIFICATION} for this request: every module of the
     * request that registered it gets {@link io.weir.api.HttpModule#onCustomRequestNotification}
     * with {@code provider}, in priority order then {@code <modules>} order, synchronously on the
     * calling thread (the request's event loop). Mirrors {@code NotifyCustomNotification}.
     *
     * <p>A receiver's result: CONTINUE passes the notification to the next receiver;
     * FINISH_REQUEST means it handled the notification, and the remaining receivers do not get it
     * (it does not end the request: only the caller's own return value does); PENDING means it
     * completes the notification asynchronously, the remaining receivers do not get it, and this
     * method returns true (IIS's {@code pfCompletionExpected}): the caller must then return PENDING
     * from its notification method, and the receiver resumes the request with
     * {@link #indicateCompletion} or {@link #postCompletion} (the latter calls the caller's
     * {@code onAsyncCompletion}). A receiver that throws is logged, the request gets a 500 and the
     * remaining receivers do not run. IIS documents neither the FINISH_REQUEST nor the exception
     * case; these are Weir's choices (docs/design-notes.md).
     *
     * @param provider identifies the notification and carries its data
     * @return true when a receiver went asynchronous and the caller must return PENDING; false when
     *         every receiver completed synchronously (or none registered)
     * @throws IllegalStateException if called outside the request's pipeline (before it started
     *                               or after it ended)
     */
    boolean notifyCustomNotification(CustomNotificationProvider provider);

    /**
     * Resumes a request whose notification returned PENDING, with the given status as that
     * notification's result, without calling {@code onAsyncCompletion}; mirrors
     * {@code IndicateCompletion}. May be called from any thread, exactly once per PENDING; the
     * pipeline continues on the request's event loop.
     *
     * @param status CONTINUE or FINISH_REQUEST
     * @throws IllegalStateException if the request is not waiting for a completion
     */
    void indicateCompletion(RequestNotificationStatus status);

    /**
     * Resumes a request whose notification returned PENDING by calling the pending module's
     * {@link io.weir.api.HttpModule#onAsyncCompletion} on the request's event loop; mirrors
     * {@code PostCompletion}. May be called from any thread, exactly once per PENDING.
     *
     * @param completionBytes the byte count reported in the {@link CompletionInfo}
     * @throws IllegalStateException if the request is not waiting for a completion
     */
    void postCompletion(long completionBytes);

    /**
     * Accepts a WebSocket upgrade (RFC 6455) for this request: the server answers
     * {@code 101 Switching Protocols} at once and the connection carries WebSocket frames from
     * then on. Call it in EXECUTE_REQUEST_HANDLER; then return PENDING, read and write through the
     * returned context, and call {@link #indicateCompletion} once the connection is closed (IIS:
     * the handler flushes the 101 and gets {@code IWebSocketContext} from the
     * {@code "websockets"} named context; the request stays pending until it is done). The
     * effective {@code system.webServer/webSocket} section of the URL applies: {@code enabled}
     * (false refuses the upgrade), {@code receiveBufferLimit} (the largest frame payload accepted,
     * in bytes) and {@code pingInterval} (how long the client may stay silent before the server
     * pings it; 0 for never). To choose a subprotocol, set the response header
     * {@code Sec-WebSocket-Protocol} to one of the values the client offered before calling: the
     * 101 names it (a value the client did not offer is left out of the 101, RFC 6455 section
     * 4.2.2), as an IIS handler sets that header before flushing the 101 (IIS's WebSocket module
     * negotiates no subprotocol itself).
     *
     * @return the WebSocket, or empty when the request is not a valid upgrade (a GET with
     *         {@code Upgrade: websocket}, {@code Connection: upgrade}, {@code Sec-WebSocket-Key}
     *         and {@code Sec-WebSocket-Version: 13}, without an entity), the section disables
     *         WebSocket, the response has started, or the transport cannot upgrade (HTTP/2); the
     *         module then answers as it sees fit (IIS answers such a request as any other)
     */
    default Optional<WebSocketContext> acceptWebSocket() {
        return Optional.empty();
    }
}
