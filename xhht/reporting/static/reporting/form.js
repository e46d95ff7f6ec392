/* Report entry: totals as you type, number checks beside each field, and a copy of what is typed
   kept in localStorage until a save succeeds, so a dropped connection loses nothing. No framework. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var key = form.dataset.storageKey;
  var editable = form.dataset.editable === "1";
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-whole], textarea[name^='text__']"));
  var numbers = inputs.filter(function (i) { return i.dataset.whole !== undefined; });

  function grouped(t, sep) { return new RegExp("^\\d{1,3}(\\" + sep + "\\d{3})+$").test(t); }

  // Same reading as the server (xhht/reporting/numbers.py).
  function parse(text, whole) {
    var t = (text || "").replace(/[\s\u00a0\u202f\u2009]/g, "");
    if (!t) return { value: null };
    if (/^[-\u2212]/.test(t)) return { error: "Số âm không hợp lệ." };
    if (!/^[0-9][0-9.,]*$/.test(t) || /[.,]$/.test(t)) return { error: "«" + text.trim() + "» không phải là số." };
    var hasDot = t.indexOf(".") >= 0, hasComma = t.indexOf(",") >= 0, n;
    if (hasDot && hasComma) {
      var dec = t.lastIndexOf(".") > t.lastIndexOf(",") ? "." : ",", th = dec === "." ? "," : ".";
      var at = t.lastIndexOf(dec), intPart = t.slice(0, at);
      if (!grouped(intPart, th)) return { error: "Dấu phân cách không đúng chỗ." };
      n = parseFloat(intPart.split(th).join("") + "." + t.slice(at + 1));
    } else if (hasDot || hasComma) {
      var sep = hasDot ? "." : ",", parts = t.split(sep);
      if (parts.length > 2) {
        if (!grouped(t, sep)) return { error: "Dấu phân cách hàng nghìn không đúng chỗ." };
        n = parseInt(parts.join(""), 10);
      } else if (grouped(t, sep)) {
        return { error: (sep === "." ? "Dấu chấm kiểu Việt Nam" : "Dấu phẩy kiểu tiếng Anh") +
          " dễ nhầm với số thập phân: hãy viết " + parts.join("") + " (không có dấu phân cách)." };
      } else {
        n = parseFloat(parts.join("."));
      }
    } else {
      n = parseInt(t, 10);
    }
    if (whole && Math.floor(n) !== n) return { error: "Ô này chỉ nhận số nguyên." };
    return { value: n };
  }

  function fmt(n) {
    var s = String(Math.round(n)), out = "";
    while (s.length > 3) { out = "." + s.slice(-3) + out; s = s.slice(0, -3); }
    return s + out;
  }

  function check(input) {
    var r = parse(input.value, input.dataset.whole === "1");
    var msg = form.querySelector(".client-msg[data-for='" + CSS.escape(input.name) + "']");
    if (msg) msg.textContent = r.error || "";
    // One message per field: the server's wording of the same fault gives way to the live one.
    var server = form.querySelector(".msg.error[data-key='" + CSS.escape(input.name) + "']");
    if (server && (r.error || input.value !== input.defaultValue)) server.parentNode.removeChild(server);
    input.setAttribute("aria-invalid", r.error || (server && server.parentNode) ? "true" : "false");
    return r;
  }

  function recompute() {
    form.querySelectorAll("output[data-total-of]").forEach(function (out) {
      var sum = 0, any = false;
      out.dataset.totalOf.split(" ").forEach(function (k) {
        var input = form.elements.namedItem(k);
        if (!input) {
          var inner = document.getElementById("total-" + k);
          if (inner && inner.textContent.trim()) { sum += parseInt(inner.textContent.replace(/\./g, ""), 10) || 0; any = true; }
          return;
        }
        var r = parse(input.value, input.dataset.whole === "1");
        if (r.value !== null && r.value !== undefined) { sum += r.value; any = true; }
      });
      out.textContent = any ? fmt(sum) : "";
    });
  }

  // The catalogue's rules for this form, checked as one types (the server checks them again on save).
  var rulesNode = document.getElementById("report-rules");
  var rules = rulesNode ? JSON.parse(rulesNode.textContent) : [];
  var ops = {
    "<": function (a, b) { return a < b; }, "<=": function (a, b) { return a <= b; }, "=": function (a, b) { return a === b; },
    "!=": function (a, b) { return a !== b; }, ">=": function (a, b) { return a >= b; }, ">": function (a, b) { return a > b; }
  };

  function cellValue(k) {
    var input = form.elements.namedItem(k);
    if (input && input.dataset && input.dataset.whole !== undefined) {
      var r = parse(input.value, input.dataset.whole === "1");
      return r.error ? null : r.value;
    }
    var out = document.getElementById("total-" + k);
    if (out && out.textContent.trim()) return parseInt(out.textContent.replace(/\./g, ""), 10);
    return null;
  }

  function side(terms) {
    var sum = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (t[1] === null) { sum += t[0] * t[2]; continue; }
      var v = cellValue(t[1]);
      if (v === null || v === undefined) return null;
      sum += t[0] * v;
    }
    return sum;
  }

  function checkRules() {
    var found = {};
    rules.forEach(function (r) {
      var a = side(r.left), b = side(r.right);
      if (a === null || b === null || ops[r.op](a, b)) return;
      r.keys.forEach(function (k) { (found[k] = found[k] || []).push(r); });
    });
    form.querySelectorAll(".msg[data-rule]").forEach(function (m) { m.parentNode.removeChild(m); });
    form.querySelectorAll(".rule-msg").forEach(function (span) {
      span.textContent = "";
      (found[span.dataset.for] || []).forEach(function (r) {
        var m = document.createElement("span");
        m.className = "msg live " + r.importance;
        m.dataset.liveRule = r.code;
        m.textContent = (r.importance === "error" ? "Lỗi: " : "Cảnh báo: ") + r.message;
        span.appendChild(m);
      });
    });
  }

  function snapshot() {
    var values = {};
    inputs.forEach(function (i) { values[i.name] = i.value; });
    return values;
  }

  function store() {
    try { localStorage.setItem(key, JSON.stringify({ base: form.dataset.version, values: snapshot(), at: Date.now() })); } catch (e) { /* storage full or off */ }
  }

  if (form.dataset.saved === "1" || form.dataset.clearDraft === "1") {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    if (form.dataset.saved === "1" && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname);
    }
  } else if (editable) {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.values) {
      var restored = false;
      inputs.forEach(function (i) {
        if (Object.prototype.hasOwnProperty.call(kept.values, i.name) && kept.values[i.name] !== i.value) {
          i.value = kept.values[i.name];
          restored = true;
        }
      });
      if (restored) {
        // Keep the version the typing started from: if someone saved since, the server refuses
        // the save instead of overwriting their values.
        document.getElementById("version").value = kept.base;
        document.getElementById("draft-notice").style.display = "block";
      } else {
        localStorage.removeItem(key);
      }
    }
  }

  if (!editable) return;  // a locked report shows its values as text, with the server's totals
  numbers.forEach(function (i) { if (i.value) check(i); });
  recompute();
  form.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.dataset && t.dataset.whole !== undefined) check(t);
    recompute();
    checkRules();
    store();
  });
  form.addEventListener("submit", function () { store(); });
})();
