// sitrep serve's live-reload client. The server adds it to every HTML page it sends; it is
// never written into the output. It keeps a WebSocket open to /__sitrep/ws and
//   - reloads the page when a rebuild changed it (or changed something every page uses),
//   - swaps stylesheets in place when only CSS changed,
//   - shows an overlay with the diagnostics while the site has errors.
(() => {
  "use strict";
  const script = document.currentScript;
  const page = script.dataset.page;
  let generation = Number(script.dataset.generation);
  const state = (window.__sitrep = { connected: false, messages: 0, cssSwaps: 0 });

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/__sitrep/ws");
    socket.onopen = () => (state.connected = true);
    socket.onmessage = (event) => {
      state.messages += 1;
      handle(JSON.parse(event.data));
    };
    socket.onclose = () => {
      state.connected = false;
      setTimeout(connect, 1000);
    };
  }

  function handle(message) {
    switch (message.type) {
      case "hello":
        // The page was served before a rebuild that this connection did not see.
        if (message.generation !== generation) location.reload();
        break;
      case "reload":
        if (message.all || message.pages.includes(page)) location.reload();
        else generation = message.generation;
        break;
      case "css":
        swapStylesheets();
        generation = message.generation;
        break;
      case "errors":
        showOverlay(message.diagnostics);
        break;
    }
  }

  function swapStylesheets() {
    state.cssSwaps += 1;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("sitrep", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      // Remove the old sheet only once the new one applies, so the page never flashes.
      fresh.onload = fresh.onerror = () => link.remove();
      link.after(fresh);
    }
  }

  function element(tag, style, text) {
    const node = document.createElement(tag);
    if (style) node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showOverlay(diagnostics) {
    document.getElementById("sitrep-overlay")?.remove();
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const overlay = element(
      "div",
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);" +
        "color:#eee;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2em"
    );
    overlay.id = "sitrep-overlay";
    overlay.setAttribute("role", "alertdialog");
    const close = element(
      "button",
      "float:right;font:inherit;background:#444;color:#eee;border:0;padding:.3em .8em;cursor:pointer",
      "Hide"
    );
    close.onclick = () => overlay.remove();
    overlay.append(close);
    overlay.append(
      element(
        "h2",
        "margin:0 0 1em;font-size:1.2em;color:#ff8080",
        `sitrep: the site has ${errors} error${errors === 1 ? "" : "s"}; showing the last good build`
      )
    );
    for (const d of diagnostics) {
      const item = element("div", "margin:0 0 1.5em;padding-left:1em;border-left:3px solid");
      item.className = "sitrep-diagnostic";
      item.style.borderColor = d.severity === "error" ? "#ff6b6b" : "#f0c040";
      let place = d.file;
      if (d.line > 0) place += `:${d.line}` + (d.column > 0 ? `:${d.column}` : "");
      const where = element("div", "color:#9cf", place);
      where.className = "sitrep-location";
      item.append(where);
      item.append(element("div", "font-weight:bold", `${d.severity}: ${d.message}`));
      if (d.source_line != null) {
        item.append(element("pre", "margin:.3em 0;color:#ccc;white-space:pre-wrap", d.source_line));
      }
      if (d.hint) item.append(element("div", "color:#8f8", `help: ${d.hint}`));
      overlay.append(item);
    }
    document.body.append(overlay);
  }

  connect();
})();
