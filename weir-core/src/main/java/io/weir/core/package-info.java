/**
 * The engine: WeirEngine, the façade a server embeds, over the generation life cycle
 * (GenerationLifecycle, EngineGeneration), the one request entry (RequestEntry) and the raising of
 * global notifications (GlobalNotifications, GlobalEvents). See docs/architecture.md.
 *
 * <p>Threads: WeirEngine is thread-safe; handle runs on the request's event loop and never blocks;
 * reload and close block and must not be called on an event loop.
 */
package io.weir.core;
