package io.weir.core.internal.module;

import io.weir.api.config.ConfigSectionType;
import io.weir.config.EffectiveConfig;
import java.util.function.Predicate;

/**
 * One configuration under which a module does nothing, as declared with
 * {@link io.weir.api.ModuleRegistrationInfo#setIdleWhen}.
 *
 * @param section the section whose bound value decides
 * @param idle    answers true when that value makes the module a no-op
 * @param <T>     the bound type
 */
public record IdleCondition<T>(ConfigSectionType<T> section, Predicate<? super T> idle) {

    /**
     * Binds the section for a configuration and asks the predicate; called when a plan is compiled.
     *
     * @param config an effective configuration
     * @return true when the module is idle as far as this section goes; false when the binder or
     *         the predicate throws (the module runs and reports what is wrong)
     */
    public boolean holds(EffectiveConfig config) {
        try {
            return idle.test(section.binder().apply(config.section(section.sectionPath())));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
