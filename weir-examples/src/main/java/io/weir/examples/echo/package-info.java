/**
 * An echo handler: answers a request with its own entity, read asynchronously.
 *
 * <ul>
 *   <li>Mirrors: a native handler module that reads the request entity with
 *       {@code IHttpRequest::ReadEntityBody(fAsync = TRUE)}, returns {@code RQ_NOTIFICATION_PENDING}
 *       while a read is outstanding and carries on in {@code OnAsyncCompletion}.</li>
 *   <li>Notifications: {@code EXECUTE_REQUEST_HANDLER}; returns FINISH_REQUEST once the entity has
 *       been read to its end.</li>
 *   <li>Configuration: a {@code system.webServer/globalModules} entry naming this package's JAR
 *       (or {@link io.weir.examples.echo.EchoModuleRegistration} with {@code type=}), the module
 *       added in {@code system.webServer/modules}, and a handler mapping such as
 *       {@code <add name="Echo" path="*" verb="POST,PUT" modules="EchoModule" resourceType="Unspecified" requireAccess="None" />}.</li>
 *   <li>Memory: the response is buffered until the entity ends, so one request holds at most its
 *       entity; {@code requestFiltering/requestLimits@maxAllowedContentLength} (30,000,000 bytes by
 *       default) bounds it.</li>
 * </ul>
 */
package io.weir.examples.echo;
