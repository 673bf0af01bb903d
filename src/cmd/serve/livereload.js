(() => {
  const stream = document.currentScript.dataset.eventStream;
  addEventListener("pageshow", () => {
    const source = new EventSource(stream);
    source.addEventListener("reload", () => { source.close(); location.reload(); });
    const onerror = () => {
      source.removeEventListener("error", onerror);
      source.addEventListener("init", () => { source.close(); location.reload(); });
    };
    source.addEventListener("error", onerror);
    addEventListener("pagehide", () => { source.removeEventListener("error", onerror); source.close(); });
  });
})();
