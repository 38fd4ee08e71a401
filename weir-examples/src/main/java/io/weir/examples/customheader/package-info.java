/**
 * A request module that adds a response header in ACQUIRE_REQUEST_STATE.
 *
 * <ul>
 *   <li>Mirrors: the common IIS walkthrough of a module that sets a response header from a
 *       mid-pipeline notification.</li>
 *   <li>Notifications: {@code ACQUIRE_REQUEST_STATE}, no post-notifications; returns CONTINUE.</li>
 *   <li>Configuration: a {@code globalModules} entry plus {@code <add name="..." />} in
 *       {@code system.webServer/modules}.</li>
 * </ul>
 */
package io.weir.examples.customheader;
