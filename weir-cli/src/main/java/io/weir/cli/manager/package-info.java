/**
 * The Weir Manager: the administration web page the admin endpoint serves at {@code /manager/},
 * Weir's counterpart of IIS Manager. It shows the sites of the served applicationHost.config with
 * their state, bindings and applications, explains a URL (the modules of every stage and the
 * handler mapping, as {@code weir explain}), the requests in flight and the farms, and makes IIS
 * Manager's common edits by running the {@code weir} editing commands in-process on the same file,
 * which the running server then reloads. See {@code docs/operations.md}.
 */
package io.weir.cli.manager;
