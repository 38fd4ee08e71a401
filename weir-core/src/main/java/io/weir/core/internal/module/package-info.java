/**
 * Loading modules: the built-in module table, the loader of {@code <globalModules>} entries (built-in
 * classes, module JARs in their own class loaders, IIS images Weir implements) and the record of
 * what each registration asked for. Loading runs on the thread that starts or reloads the engine;
 * RegisteredModule is immutable once frozen.
 */
package io.weir.core.internal.module;
