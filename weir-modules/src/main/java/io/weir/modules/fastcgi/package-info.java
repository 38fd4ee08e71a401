/**
 * FastCgiModule: runs FastCGI applications such as PHP's {@code php-cgi}; mirrors IIS's
 * FastCgiModule ({@code iisfcgi.dll}).
 *
 * <p><b>Notifications:</b> EXECUTE_REQUEST_HANDLER, declared blocking, as the module of a handler
 * mapping such as {@code <add name="PHP" path="*.php" verb="GET,HEAD,POST" modules="FastCgiModule"
 * scriptProcessor="/usr/bin/php-cgi" resourceType="File" requireAccess="Script" />}. The mapping's
 * {@code resourceType="File"} makes the server answer 404 for a missing script before the module
 * (and PHP) is asked.
 *
 * <p><b>Section:</b> {@code system.webServer/fastCgi} ({@link io.weir.modules.fastcgi.FastCgiSection}):
 * one {@code <application>} per executable and argument string, with IIS's attributes
 * ({@link io.weir.modules.fastcgi.FastCgiApplication}). {@code scriptProcessor="fullPath|arguments"}
 * picks the entry. Weir's addition: {@code scriptProcessor="unix:/run/php/php-fpm.sock"} or
 * {@code "tcp://127.0.0.1:9000"} sends requests to a FastCGI server that runs on its own
 * (php-fpm), with no pool of Weir's; such requests get IIS's default timeouts (90 s per request,
 * 70 s without activity).
 *
 * <p><b>Processes:</b> IIS hands each php-cgi a named pipe; spawn-fcgi hands it a listening socket
 * as its standard input. The JDK cannot start a process with a socket as its standard input, so
 * Weir starts the executable with {@code -b SOCKET}, php-cgi's option to listen on a Unix domain
 * socket path, in a folder of its own created with permissions 0700, and sets
 * {@code PHP_FCGI_CHILDREN=0} (one process per pool slot) and {@code PHP_FCGI_MAX_REQUESTS=0}
 * (Weir recycles after {@code instanceMaxRequests}); {@code environmentVariables} may override
 * both. Requests ask a pool's process for {@code FCGI_KEEP_CONN}, so the process keeps its
 * connection from one request to the next. Requests to an external server keep their
 * connections too when a {@code fastCgi/application} entry of the same {@code fullPath} sets their
 * limits ({@code ConnectionPool}); without one they open a connection each
 * (a php-fpm worker stays tied to each open connection, so only the entry can say how many may be
 * kept).
 *
 * <p><b>Protocol:</b> FastCGI 1.0 implemented from the specification (no maintained Java client
 * library fits a blocking, one-request-at-a-time use): {@link io.weir.modules.fastcgi.RecordEncoder},
 * {@link io.weir.modules.fastcgi.RecordReader}, {@link io.weir.modules.fastcgi.NameValuePairs}; responder
 * role, request id 1, no multiplexing, content padded to 8 bytes. A response streamed past
 * {@code responseBufferLimit} waits for each piece to drain to the client
 * ({@code HttpResponse.onClientWritable}) before more is read from the application; a chunked
 * request entity is held ({@code BodySpool}) until it ends so that the application gets its
 * {@code CONTENT_LENGTH}. The transport is the small
 * {@link io.weir.modules.fastcgi.FastCgiConnection} interface over JDK socket channels on virtual
 * threads, so it can move onto an outbound connector offered by the server.
 *
 * <p><b>Errors, as IIS:</b> a busy pool whose queue holds {@code queueLength} requests → 503.2; a
 * process that crashes, or exceeds {@code activityTimeout} or {@code requestTimeout} → 500.0 for
 * that request only, and the process is replaced (after the headers went out, the connection is
 * reset instead); more than {@code rapidFailsPerMinute} failures in a minute → 500.0 until the
 * minute has passed; an unreachable external server → 502.3 (Weir's choice). {@code stderrMode}
 * decides what stderr output does.
 */
package io.weir.modules.fastcgi;
