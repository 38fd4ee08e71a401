/**
 * What the modules that start processes share (FastCgiModule's pool, the ASP.NET Core Module):
 * the reading of their {@code arguments} attribute. Pure functions, callable from any thread.
 */
package io.weir.modules.process;
