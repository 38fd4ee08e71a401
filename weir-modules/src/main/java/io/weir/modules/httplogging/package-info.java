/**
 * HttpLoggingModule: one W3C extended access log per site; mirrors IIS's HttpLoggingModule
 * ({@code loghttp.dll}), which has http.sys write the site's W3C log.
 *
 * <p><b>Notifications:</b> {@code BEGIN_REQUEST} (priority FIRST: the module's instance is created
 * there, which starts {@code time-taken}; requests wait there, off the event loop, while the log
 * writer is full) and {@code LOG_REQUEST} (the line is formatted after the response was sent, into
 * the event loop's block of lines for the writer thread).
 *
 * <p><b>Sections:</b> the site's {@code logFile} in {@code system.applicationHost/sites} (or
 * {@code siteDefaults/logFile}) — {@code enabled}, {@code logFormat} (W3C), {@code directory},
 * {@code period} (MaxSize, Daily, Weekly, Monthly, Hourly), {@code truncateSize},
 * {@code localTimeRollover}, {@code logExtFileFlags}, {@code logTargetW3C}, {@code maxLogLineLength};
 * {@code system.applicationHost/log} — {@code logInUTF8}, {@code centralLogFileMode};
 * {@code system.webServer/httpLogging} — {@code dontLog}, {@code selectiveLogging}. IIS's names and
 * defaults throughout.
 *
 * <p><b>Files:</b> {@code <directory>/W3SVC<siteId>/u_exYYMMDD.log} (daily; {@code u_exYYMMDDHH},
 * {@code u_exYYMMWW}, {@code u_exYYMM}, {@code u_extendN} for the other periods; no {@code u_} when
 * {@code logInUTF8="false"}), each opening with {@code #Software}, {@code #Version: 1.0},
 * {@code #Date} and {@code #Fields}; lines end with CR LF; {@code date} and {@code time} are UTC
 * (IIS's W3C rule), {@code localTimeRollover} only moves the file boundaries to local time. When no
 * {@code directory} is configured, or it is IIS's default {@code %SystemDrive%\inetpub\logs\LogFiles}
 * left unexpanded (no {@code SystemDrive} variable), Weir uses {@code logs} in its data folder:
 * {@code -Dweir.data}, else {@code $WEIR_DATA_HOME}, else {@code $XDG_STATE_HOME/weir}, else
 * {@code ~/.local/state/weir} (never the working directory or a source checkout).
 *
 * <p><b>Writing:</b> each event loop formats its lines straight into bytes (UTF-8, or US-ASCII when
 * {@code logInUTF8="false"}) in a reusable 32 KiB block of its own, with the date and time texts
 * formatted once per second; whole blocks, not lines, go to one background thread, which takes
 * partly filled blocks every 100 ms, buffers 64 KiB per file and writes it when full and every
 * second. No line is dropped when the writer falls behind (16,384 lines handed over and not yet
 * written): requests wait for room on the blocking executor, never on an event loop. The factory's
 * {@code terminate()} (server stop, after requests drained) writes every line, those still in the
 * event loops' blocks included, and closes the files.
 *
 * <p><b>Departures from IIS (Weir's choices where IIS is silent or does not apply):</b>
 * {@code time-taken} runs from BEGIN_REQUEST (after the transport received the whole request) to
 * LOG_REQUEST (after the response was handed to the transport), not from the first byte received to
 * the last byte acknowledged; {@code sc-win32-status} is always 0 (no Windows error codes);
 * {@code sc-bytes} and {@code cs-bytes} count the status/request line, the headers as the request
 * and response hold them and the entity, not the exact bytes on the wire; control characters in a
 * value are written {@code %XX}; the central log modes, the IIS and NCSA formats and ETW are not implemented (warned at the site's first request); child requests are
 * not logged; requests that never reach a site's pipeline (malformed, unknown host) are not logged,
 * as IIS writes those to http.sys's HTTPERR log instead.
 */
package io.weir.modules.httplogging;
