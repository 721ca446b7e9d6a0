// eventledger: the only script of the app (besides htmx). No inline scripts: the CSP forbids them.
// htmx requests carry the page's CSRF token in a header.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    evt.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// The review queue by keyboard (the help page lists the keys): J/↓ next, K/↑ previous, C confirm,
// X reject, D dismiss a flag, O/Enter open the event, / the search box, ? the help page.
// Keys are read by their place on the keyboard (event.code), so they work in a Persian layout too.
(function () {
  var table = document.querySelector("table.keyboard");
  if (!table) {
    return;
  }
  var current = -1;
  function rows() {
    return Array.prototype.slice.call(table.querySelectorAll('tbody tr[id^="q"]'));
  }
  function select(i) {
    var all = rows();
    if (!all.length) {
      current = -1;
      return;
    }
    current = Math.max(0, Math.min(i, all.length - 1));
    all.forEach(function (r, j) {
      r.classList.toggle("selected", j === current);
      r.setAttribute("aria-selected", j === current ? "true" : "false");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }
  function press(what) {
    var row = rows()[current];
    var target = row && row.querySelector('[data-key="' + what + '"]');
    if (target) {
      target.click();
    }
  }
  // after a review made in place the row is replaced: the next one waiting is selected
  document.body.addEventListener("htmx:afterSwap", function () {
    if (current >= 0) {
      var all = rows();
      var i = current;
      while (i < all.length && !all[i].querySelector("[data-key]")) {
        i += 1;
      }
      select(i < all.length ? i : current);
    }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey) {
      return;
    }
    var tag = (evt.target && evt.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (evt.target && evt.target.isContentEditable)) {
      return;
    }
    var code = evt.code;
    var handled = true;
    if (code === "KeyJ" || code === "ArrowDown") {
      select(current + 1);
    } else if (code === "KeyK" || code === "ArrowUp") {
      select(current - 1);
    } else if (code === "KeyC") {
      press("confirm");
    } else if (code === "KeyX") {
      press("reject");
    } else if (code === "KeyD") {
      press("dismiss");
    } else if (code === "KeyO" || (code === "Enter" && current >= 0)) {
      press("open");
    } else if (code === "Slash" && !evt.shiftKey) {
      var box = document.querySelector('[data-key="search"]');
      if (box) {
        box.focus();
      }
    } else if (code === "Slash" && evt.shiftKey) {
      window.location.href = "/help#review-keys";
    } else {
      handled = false;
    }
    if (handled) {
      evt.preventDefault();
    }
  });
})();

// a select marked data-autosubmit sends its form when changed (its button stays for keyboards
// and for browsers without scripts)
(function () {
  "use strict";
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
