/**
 * The "Hello World" sample of IIS's native-module documentation, in Java.
 *
 * <ul>
 *   <li>Mirrors: the walkthrough module of {@code RegisterModule} / {@code CHttpModule}
 *       (one request-level module, no global module).</li>
 *   <li>Notifications: {@code BEGIN_REQUEST}, no post-notifications; returns FINISH_REQUEST.</li>
 *   <li>Configuration: a {@code system.webServer/globalModules} entry naming this package's JAR
 *       (or {@link io.weir.examples.helloworld.HelloWorldModuleRegistration} with {@code type=}),
 *       and {@code <add name="..." />} in {@code system.webServer/modules} where it should answer.</li>
 *   <li>Departure from the walkthrough: the body is {@code Hello World} without the exclamation mark.</li>
 * </ul>
 */
package io.weir.examples.helloworld;
