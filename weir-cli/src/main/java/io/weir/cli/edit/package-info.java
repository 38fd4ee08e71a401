/**
 * Editing configuration files without disturbing them: {@link io.weir.cli.edit.ConfigFileText}
 * keeps a file's encoding, byte order mark and line endings; {@link io.weir.cli.edit.XmlTextScanner}
 * finds where each element and attribute is written; {@link io.weir.cli.edit.ConfigDocument}
 * replaces exact character ranges (insert, remove, set an attribute), indenting new elements like
 * their siblings; {@link io.weir.cli.edit.ApplicationHostText} knows IIS's levels (server,
 * {@code <location path>}) and section groups. Used by the editing commands of
 * {@code io.weir.cli.command}.
 */
package io.weir.cli.edit;
