"use strict";
// The Weir Manager page: reads /manager/api/state, renders the connections tree and the selected
// site, and posts IIS Manager's common edits to /manager/api/action with the anti-forgery token.
(function () {
  let state = null;
  let selected = null;

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
    $("add-default-document").addEventListener("click", () =>
      act({ action: "addDefaultDocument", site: selected, value: $("default-document").value }));
    $("add-mime-type").addEventListener("click", () =>
      act({ action: "addMimeType", site: selected, fileExtension: $("mime-extension").value, mimeType: $("mime-type").value }));
    $("explain").addEventListener("click", explain);
    load();
    setInterval(load, 2000);
  });
})();
