/**
 * A global module that counts requests in GL_PRE_BEGIN_REQUEST, with a request-level half that
 * shows the count.
 *
 * <ul>
 *   <li>Mirrors: the walkthrough's {@code CGlobalModule} for {@code GL_PRE_BEGIN_REQUEST}, which
 *       records each request (there, in the Event Log) and logs at {@code Terminate}.</li>
 *   <li>Notifications: global {@code PRE_BEGIN_REQUEST} (CONTINUE); request {@code BEGIN_REQUEST}
 *       at priority FIRST (CONTINUE), which sets {@code X-Request-Count}.</li>
 *   <li>Configuration: a {@code globalModules} entry is enough for counting; add the same name to
 *       {@code system.webServer/modules} to get the header.</li>
 * </ul>
 */
package io.weir.examples.requestcounter;
