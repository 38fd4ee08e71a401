package io.weir.core;

import java.util.List;
import java.util.Set;

/**
 * What a {@link WeirEngine#reload} changed.
 *
 * @param generation          the number of the generation now serving (1 is the first)
 * @param addedModules        {@code <globalModules>} entries loaded afresh (new, or changed)
 * @param removedModules      entries of the previous generation not kept (gone, or changed); their
 *                            factories and global modules are terminated once the previous
 *                            generation's requests have ended
 * @param startedApplications applications that received APPLICATION_START ("site/path")
 * @param stoppedApplications applications that receive APPLICATION_STOP when the previous
 *                            generation's requests have ended
 * @param listenersBefore     the listen addresses the previous generation asked for
 * @param listenersAfter      the listen addresses the new generation asks for
 */
public record ReloadOutcome(
        int generation,
        List<String> addedModules,
        List<String> removedModules,
        List<String> startedApplications,
        List<String> stoppedApplications,
        List<ListenAddress> listenersBefore,
        List<ListenAddress> listenersAfter) {

    /** @return true when the set of listen addresses differs */
    public boolean listenersChanged() {
        return !Set.copyOf(listenersBefore).equals(Set.copyOf(listenersAfter));
    }
}
