// Runs Material's search worker in a hidden iframe when the site is opened from file://, where
// browsers refuse Worker. After iframe-worker by Martin Donath (MIT, see LICENSE), rewritten so
// that it needs no inline script: the worker's globals are set on the iframe's window from here,
// so a page with a strict Content-Security-Policy (the flow pages) can search from file:// too.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = String(url);
      this.onmessage = null;
      this.onerror = null;
      this.iframe = document.createElement("iframe");
      this.iframe.hidden = true;
      document.body.appendChild(this.iframe);
      const scope = this.iframe.contentWindow;
      // What the worker posts reaches this object's listeners, as from a real worker.
      scope.postMessage = (data) => this.emit(new MessageEvent("message", { data }));
      // Material's worker awaits importScripts when it runs here.
      scope.importScripts = (...urls) => urls.reduce((done, src) => done.then(() => load(scope, src)), Promise.resolve());
      scope.addEventListener("error", (event) => {
        this.emit(new ErrorEvent("error", { message: event.message, filename: this.url, error: event.error }));
      });
      this.ready = load(scope, this.url);
      this.ready.catch(() => this.emit(new ErrorEvent("error", { message: `cannot load ${this.url}` })));
    }

    emit(event) {
      this.dispatchEvent(event);
      const handler = event.type === "message" ? this.onmessage : this.onerror;
      if (handler) handler.call(this, event);
    }

    postMessage(data) {
      const scope = this.iframe.contentWindow;
      this.ready.then(() => scope.dispatchEvent(new MessageEvent("message", { data: structuredClone(data) })));
    }

    terminate() {
      this.iframe.remove();
    }
  }

  function load(scope, src) {
    return new Promise((resolve, reject) => {
      const script = scope.document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      scope.document.body.appendChild(script);
    });
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
