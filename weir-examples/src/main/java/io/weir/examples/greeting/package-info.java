/**
 * A module with a configuration section of its own, declared the IIS way.
 *
 * <ul>
 *   <li>Mirrors: an IIS module that extends the configuration with a schema file
 *       ({@code inetsrv\config\schema\*.xml}) and a {@code <section>} in {@code <configSections>},
 *       and reads its section for each request's URL.</li>
 *   <li>Notifications: {@code EXECUTE_REQUEST_HANDLER} (the handler of its mapping) → FINISH_REQUEST.</li>
 *   <li>Configuration: {@code weir-examples/greeting-section/applicationHost.config}, its schema in
 *       {@code greeting-section/schema/greeting_schema.xml}; the section is locked by default,
 *       unlocked for {@code /docs}, set at the server level, in a {@code <location>} and in a
 *       web.config (docs/configuration.md, "A module's own section").</li>
 * </ul>
 */
package io.weir.examples.greeting;
