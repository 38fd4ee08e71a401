"use strict";
// The Weir Manager page: reads /manager/api/state, renders the connections tree and the selected
// site, its feature pages (/manager/api/features: greyed with the reason when a section is locked
// for the site's web.config) and its failed-request traces (/manager/api/traces), and posts IIS
// Manager's common edits to /manager/api/action with the anti-forgery token.
(function () {
  let state = null;
  let selected = null;
  let features = null;
  let shownSite = null;

  const $ = (id) => document.getElementById(id);

  function text(tag, value) {
    const e = document.createElement(tag);
    e.textContent = value;
    return e;
  }

  async function load() {
    const response = await fetch("api/state", { cache: "no-store" });
    state = await response.json();
    render();
  }

  function render() {
    const runtime = state.runtime.status;
    $("server-status").textContent = state.configFile + " · generation " + runtime.generation
      + " · " + runtime.requestsInFlight + " in flight · " + runtime.requestsEnded + " ended";
    const error = $("config-error");
    error.hidden = !state.configError;
    error.textContent = state.configError ? "The file does not load: " + state.configError : "";
    renderTree();
    renderSite();
    renderRequests();
    $("farms").textContent = state.farms.split("\n").length > 2 ? state.farms : "no farm used yet";
  }

  function renderTree() {
    const tree = $("tree");
    tree.replaceChildren();
    const server = text("li", "Server");
    const sites = document.createElement("ul");
    for (const site of state.sites) {
      const item = document.createElement("li");
      const button = text("button", site.name + (site.started ? "" : " (stopped)"));
      button.type = "button";
      button.dataset.site = site.name;
      button.className = site.name === selected ? "selected" : "";
      button.addEventListener("click", () => { selected = site.name; render(); });
      item.append(button);
      const apps = document.createElement("ul");
      for (const app of site.applications) {
        apps.append(text("li", app.path));
      }
      item.append(apps);
      sites.append(item);
    }
    server.append(sites);
    tree.append(server);
  }

  function currentSite() {
    if (!state.sites.some((s) => s.name === selected)) {
      selected = state.sites.length ? state.sites[0].name : null;
    }
    return state.sites.find((s) => s.name === selected);
  }

  function renderSite() {
    const site = currentSite();
    $("site").hidden = !site;
    if (!site) {
      return;
    }
    $("site-name").textContent = site.name;
    const badge = $("site-state");
    badge.textContent = site.started ? "Started" : "Stopped";
    badge.className = "badge " + (site.started ? "started" : "stopped");
    $("start-site").disabled = site.started;
    $("stop-site").disabled = !site.started;
    if (document.activeElement !== $("bindings")) {
      $("bindings").value = site.bindings.join(",");
    }
    const apps = $("applications");
    apps.replaceChildren();
    for (const app of site.applications) {
      const row = document.createElement("tr");
      row.append(text("td", app.path), text("td", app.physicalPath));
      apps.append(row);
    }
    if (shownSite !== site.name) {
      shownSite = site.name;
      features = null;
      $("trace-view").replaceChildren();
      loadFeatures();
      loadTraces();
    }
  }

  const ITEM_COLUMNS = {
    defaultDocument: ["value"],
    httpErrors: ["statusCode", "subStatusCode", "path", "responseMode"],
    customHeaders: ["name", "value"],
    staticContent: ["fileExtension", "mimeType"],
    rewrite: ["name", "match", "action", "stopProcessing"],
  };

  async function loadFeatures() {
    const site = selected;
    const response = await fetch("api/features?" + new URLSearchParams({ site: site }), { cache: "no-store" });
    if (!response.ok || site !== selected) {
      return;
    }
    features = await response.json();
    renderFeatures();
  }

  // One feature page: its items with where each comes from; greyed, with the loader's reason, when
  // the section is locked for the level changes are written to (IIS Manager's read-only features).
  function renderFeatures() {
    if (!features) {
      return;
    }
    const level = $("level").value;
    $("level-file").textContent = level === "site"
      ? "web.config: " + features.webConfig + " (weir set config --commit site)"
      : "applicationHost.config: " + state.configFile + " (weir set config --location)";
    for (const page of features.pages) {
      const box = document.querySelector('.feature[data-feature="' + page.id + '"]');
      if (!box) {
        continue;
      }
      const attrs = Object.entries(page.attributes).map(([k, v]) => k + "=" + v).join(" ");
      box.querySelector(".attrs").textContent = attrs ? "(" + attrs + ")" : "";
      const body = box.querySelector("tbody");
      if (body) {
        body.replaceChildren();
        for (const item of page.items) {
          const row = document.createElement("tr");
          for (const column of ITEM_COLUMNS[page.id]) {
            row.append(text("td", item[column]));
          }
          const source = text("td", item.source.replace(/^.*[\\/]/, ""));
          source.title = item.source;
          row.append(source);
          body.append(row);
        }
      }
      const locked = level === "site" && page.locked;
      box.classList.toggle("is-locked", !!locked);
      box.dataset.locked = locked ? "true" : "false";
      const note = box.querySelector(".locked");
      note.hidden = !locked;
      note.textContent = locked
        ? "Locked: this feature is read-only in the site's web.config. " + page.locked
          + "\nWrite to applicationHost.config instead, or unlock the section there."
        : "";
      for (const control of box.querySelectorAll("input, button")) {
        control.disabled = !!locked || page.id === "rewrite";
      }
    }
  }

  async function loadTraces() {
    const site = selected;
    const response = await fetch("api/traces?" + new URLSearchParams({ site: site }), { cache: "no-store" });
    if (!response.ok || site !== selected) {
      return;
    }
    const traces = await response.json();
    $("tracing").hidden = false;
    $("traces-folder").textContent = traces.folder + (traces.enabled ? "" : " (failed-request tracing is off for this site)");
    const body = $("traces");
    body.replaceChildren();
    for (const file of traces.files) {
      const row = document.createElement("tr");
      const cell = document.createElement("td");
      const open = text("button", file.name);
      open.type = "button";
      open.dataset.file = file.name;
      open.addEventListener("click", () => showTrace(site, file.name));
      cell.append(open);
      row.append(cell, text("td", file.written), text("td", String(file.bytes)));
      body.append(row);
    }
  }

  // The trace file is read as text and laid out from its headings and tables, cell by cell, as
  // text: nothing of the file runs or styles this page (the page's CSP allows no inline script).
  async function showTrace(site, name) {
    const response = await fetch("api/trace?" + new URLSearchParams({ site: site, file: name }), { cache: "no-store" });
    const view = $("trace-view");
    view.replaceChildren();
    if (!response.ok) {
      view.append(text("p", await response.text()));
      return;
    }
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    view.append(text("h4", name));
    for (const node of doc.body.querySelectorAll("h1, h2, table")) {
      if (node.tagName !== "TABLE") {
        view.append(text("h4", node.textContent));
        continue;
      }
      const table = document.createElement("table");
      table.className = "trace-" + (node.className || "table").replace(/[^a-z]/g, "");
      for (const tr of node.querySelectorAll("tr")) {
        const row = document.createElement("tr");
        if (["w", "e", "stage"].includes(tr.className)) {
          row.className = tr.className;
        }
        for (const cell of tr.children) {
          const copy = text(cell.tagName === "TH" ? "th" : "td", cell.textContent);
          const span = parseInt(cell.getAttribute("colspan") || "1", 10);
          if (span > 1 && span < 20) {
            copy.colSpan = span;
          }
          row.append(copy);
        }
        table.append(row);
      }
      view.append(table);
    }
  }

  function renderRequests() {
    const body = $("requests");
    body.replaceChildren();
    for (const r of state.runtime.requests) {
      const row = document.createElement("tr");
      for (const v of [r.elapsedMillis, r.verb, r.url, r.site, r.notification, r.module, r.state]) {
        row.append(text("td", String(v)));
      }
      body.append(row);
    }
  }

  async function act(fields) {
    const form = new URLSearchParams(fields);
    const response = await fetch("api/action", {
      method: "POST",
      headers: { "X-Weir-Manager": state.csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    const result = await response.json();
    $("result").textContent = "$ " + result.command + "\n" + result.out + result.err
      + (result.exitCode === 0 ? "\nDone: the server applies it by hot reload." : "\nRefused (exit " + result.exitCode + ").");
    $("result").dataset.exitCode = String(result.exitCode);
    await load();
    await loadFeatures();
  }

  function edit(fields) {
    fields.site = selected;
    fields.level = $("level").value;
    return act(fields);
  }

  async function explain() {
    const query = new URLSearchParams({ site: selected || "", url: $("explain-url").value });
    const response = await fetch("api/explain?" + query.toString(), { cache: "no-store" });
    const result = await response.json();
    $("explain-output").textContent = result.out + result.err;
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("start-site").addEventListener("click", () => act({ action: "startSite", site: selected }));
    $("stop-site").addEventListener("click", () => act({ action: "stopSite", site: selected }));
    $("save-bindings").addEventListener("click", () =>
      act({ action: "setBindings", site: selected, bindings: $("bindings").value }));
    $("level").addEventListener("change", renderFeatures);
    $("add-default-document").addEventListener("click", () =>
      edit({ action: "addDefaultDocument", value: $("default-document").value }));
    $("add-mime-type").addEventListener("click", () =>
      edit({ action: "addMimeType", fileExtension: $("mime-extension").value, mimeType: $("mime-type").value }));
    $("add-header").addEventListener("click", () =>
      edit({ action: "addHeader", name: $("header-name").value, value: $("header-value").value }));
    $("add-error-page").addEventListener("click", () =>
      edit({ action: "addErrorPage", statusCode: $("error-status").value, path: $("error-path").value }));
    $("enable-directory-browse").addEventListener("click", () => edit({ action: "setDirectoryBrowse", enabled: "true" }));
    $("disable-directory-browse").addEventListener("click", () => edit({ action: "setDirectoryBrowse", enabled: "false" }));
    $("refresh-traces").addEventListener("click", loadTraces);
    $("explain").addEventListener("click", explain);
    load();
    setInterval(load, 2000);
  });
})();
