/**
 * An asynchronous module, the load proof of Weir's request model: every request it handles is
 * parked (PENDING) and completed 10 ms later from another thread.
 *
 * <ul>
 *   <li>Mirrors: the PENDING + {@code IHttpContext::PostCompletion} + {@code OnAsyncCompletion}
 *       pattern of docs/reference/native-module-model.md, "Statuses" (a module's own asynchronous work).</li>
 *   <li>Notifications: {@code BEGIN_REQUEST} (returns PENDING; a scheduled executor calls
 *       {@code postCompletion} after 10 ms), {@code onAsyncCompletion} (writes the answer and
 *       returns FINISH_REQUEST, on the event loop), {@code SEND_RESPONSE} (counts responses whose
 *       headers go out).</li>
 *   <li>Configuration: a {@code system.webServer/globalModules} entry naming this package's JAR
 *       (classifier {@code asyncdelay}) or
 *       {@link io.weir.examples.asyncdelay.AsyncDelayModuleRegistration} with {@code type=}, and
 *       {@code <add name="..." />} in {@code system.webServer/modules}.</li>
 *   <li>Counts: requests begun, completions fired and responses sent, per {@code <globalModules>}
 *       entry; printed to standard output when the server stops, and readable with
 *       {@link io.weir.examples.asyncdelay.AsyncDelayModuleRegistration#counts(String)}.</li>
 * </ul>
 */
package io.weir.examples.asyncdelay;
