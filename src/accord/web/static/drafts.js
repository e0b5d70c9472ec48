// Switching the language in the middle of a form keeps what was typed: the switch stores the page's
// unsent forms in sessionStorage (this tab only, gone when it closes) under the address it returns to,
// and that page puts the values back once, then forgets them. Hidden fields (the CSRF token, the
// one-time form token, the version), passwords and files are never stored.
(function () {
  "use strict";
  var PREFIX = "accord-draft:";

  function draftable() {
    return Array.prototype.filter.call(document.forms, function (form) {
      var action = form.getAttribute("action") || "";
      return (form.method || "").toLowerCase() === "post" && action !== "/language" && action !== "/logout";
    });
  }

  function kept(field) {
    var type = (field.type || "").toLowerCase();
    return field.name && !field.disabled && ["hidden", "password", "file", "submit", "button", "reset"].indexOf(type) < 0;
  }

  function values(form) {
    var found = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) return;
      var type = (field.type || "").toLowerCase();
      var list = found[field.name] || (found[field.name] = []);
      if (type === "checkbox" || type === "radio") {
        if (field.checked) list.push(field.value);
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.selectedOptions, function (o) { list.push(o.value); });
      } else {
        list.push(field.value);
      }
    });
    return found;
  }

  function restore(form, saved) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !(field.name in saved)) return;
      var type = (field.type || "").toLowerCase();
      var list = saved[field.name];
      if (type === "checkbox" || type === "radio") {
        field.checked = list.indexOf(field.value) >= 0;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = list.indexOf(o.value) >= 0; });
      } else {
        var index = seen[field.name] || 0;
        if (index < list.length) field.value = list[index];
        seen[field.name] = index + 1;
      }
    });
  }

  function key(address) {
    var url = new URL(address, window.location.href);
    return PREFIX + url.pathname + url.search;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var switcher = document.querySelector('form[action="/language"]');
    if (switcher) {
      switcher.addEventListener("submit", function () {
        var next = switcher.elements.next ? switcher.elements.next.value : window.location.pathname;
        var forms = draftable().map(values);
        try {
          if (forms.length) window.sessionStorage.setItem(key(next), JSON.stringify(forms));
        } catch (e) { /* storage full or turned off: the switch still works, without the draft */ }
      });
    }
    var here = key(window.location.href);
    var stored = null;
    try {
      stored = window.sessionStorage.getItem(here);
      window.sessionStorage.removeItem(here);
    } catch (e) { stored = null; }
    if (!stored) return;
    var drafts = JSON.parse(stored);
    draftable().forEach(function (form, index) {
      if (drafts[index]) restore(form, drafts[index]);
    });
  });
})();
