/**
 * The request state machine: the compiled PipelinePlan of a configuration, the RequestPipeline walk,
 * the per-stage StageSteps, the one module call (ModuleInvoker), the notifications raised from within
 * a stage, and the event-loop watchdog.
 *
 * <p>Threads: a RequestPipeline is confined to its request's event loop, except blocking
 * notifications, whose module call runs on the blocking executor while the request waits; plans are
 * immutable and shared; the watchdog reads requests from its own thread.
 */
package io.weir.core.internal.pipeline;
