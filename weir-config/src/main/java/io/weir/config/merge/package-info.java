/**
 * Merging configuration levels the way IIS does (attribute override, add/remove/clear
 * collections), {@code %VAR%} expansion, and the merged {@link io.weir.api.config.ConfigElement} view.
 */
package io.weir.config.merge;
