// eventledger: the only script of the app (besides htmx). No inline scripts: the CSP forbids them.
// htmx requests carry the page's CSRF token in a header.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    evt.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
