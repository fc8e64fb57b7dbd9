/* cotrain sign: the sign-in sheet on a tablet. Vanilla JS, no framework, nothing fetched from
   outside the laptop. One action per screen: tap your name, sign, confirm. */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("boot").textContent);
  var S = boot.strings;
  var manager = boot.role === "manager";
  var state = null;
  var groupId = null;
  var screen = "list";
  var current = null; // {person, leaving}
  var strokes = [];
  var doneTimer = null;

  function $(id) { return document.getElementById(id); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key] !== undefined ? values[key] : ""; });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // --- talking to the laptop -----------------------------------------------------------

  function api(path, body) {
    var options = body === undefined ? { cache: "no-store" } : {
      method: "POST", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    };
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || String(response.status)); }
        return data;
      });
    });
  }

  function refresh() {
    return api("api/state").then(function (data) {
      $("offline").hidden = true;
      var changed = !state || data.version !== state.version || data.closed !== state.closed;
      state = data;
      $("clock").textContent = data.now;
      if (changed || screen === "list" || screen === "groups") { render(); }
    }).catch(function () {
      $("offline").textContent = S.offline;
      $("offline").hidden = false;
    });
  }

  function failed(error) { window.alert(fill(S.error, { message: error.message })); }

  // --- screens -------------------------------------------------------------------------

  function show(name) {
    screen = name;
    ["groups", "list", "leave", "pad", "done"].forEach(function (n) {
      $("screen-" + n).hidden = n !== name;
    });
    $("back").hidden = !(name === "pad" || name === "leave");
    window.scrollTo(0, 0);
    if (name === "pad") { sizePad(); }
  }

  function group() {
    if (!state) { return null; }
    for (var i = 0; i < state.groups.length; i++) {
      if (state.groups[i].id === groupId) { return state.groups[i]; }
    }
    return null;
  }

  function render() {
    if (!state) { return; }
    var s = state.session;
    $("when").textContent = s.date + " · " + s.half + " · " + s.times;
    $("banner").textContent = S.closed_banner;
    $("banner").hidden = !state.closed;
    if (!group() && state.groups.length === 1) { groupId = state.groups[0].id; }
    if (!group()) {
      $("group-name").textContent = S.title;
      renderGroups();
      if (screen !== "groups") { show("groups"); }
      return;
    }
    $("group-name").textContent = group().label + (group().room ? " · " + group().room : "");
    if (screen === "list" || screen === "groups") {
      renderList();
      if (screen !== "list") { show("list"); }
    }
  }

  function renderGroups() {
    $("groups-title").textContent = S.choose_group;
    var box = $("groups");
    box.textContent = "";
    state.groups.forEach(function (g) {
      var button = el("button", "choice", g.label);
      button.type = "button";
      button.addEventListener("click", function () {
        groupId = g.id;
        try { window.location.hash = "g=" + encodeURIComponent(g.id); } catch (e) { /* ignore */ }
        show("list");
        render();
      });
      box.appendChild(button);
    });
  }

  function stateLines(p) {
    if (p.arrived) {
      var lines = ["\u2714 " + fill(p.late ? S.late_at : S.signed_at, { time: p.arrived })];
      if (p.left) { lines.push(fill(S.left_at, { time: p.left })); }
      return lines;
    }
    if (p.mark === "excused") { return [S.excused]; }
    if (p.mark === "absent" || (state.closed && !p.trainer)) { return [S.absent]; }
    return [S.not_signed];
  }

  function personCard(p) {
    var card = el("div", "person" + (p.arrived ? " signed" : p.mark ? " marked" : ""));
    card.setAttribute("data-person", p.id);
    var button = el("button", "name-button");
    button.type = "button";
    button.appendChild(el("span", "name", p.name));
    var st = el("span", "state");
    stateLines(p).forEach(function (line) { st.appendChild(el("span", "", line)); });
    if (p.late) { st.appendChild(el("span", "late", S.late_tag)); }
    if (p.walk_in) { st.appendChild(el("span", "late", S.walk_in_tag)); }
    button.appendChild(st);
    button.addEventListener("click", function () { choose(p); });
    card.appendChild(button);
    if (manager && !state.closed) {
      var actions = el("div", "actions");
      function action(label, cls, handler) {
        var b = el("button", cls, label);
        b.type = "button";
        b.addEventListener("click", handler);
        actions.appendChild(b);
      }
      if (!p.arrived && !p.trainer) {
        if (p.mark !== "absent") { action(S.mark_absent, "mark-absent", function () { mark(p, "absent"); }); }
        if (p.mark !== "excused") { action(S.mark_excused, "mark-excused", function () { mark(p, "excused"); }); }
        if (p.mark) { action(S.clear_mark, "clear-mark", function () { mark(p, ""); }); }
      }
      if (p.arrived) {
        action(S.correct, "danger correct", function () { correct(p.departure_seq || p.arrival_seq); });
      }
      if (actions.childNodes.length) { card.appendChild(actions); }
    }
    return card;
  }

  function renderList() {
    var g = group();
    $("list-title").textContent = S.tap_name;
    $("list-title").hidden = state.closed;
    var people = $("people");
    people.textContent = "";
    g.people.forEach(function (p) { people.appendChild(personCard(p)); });
    $("trainers-title").textContent = S.trainers;
    $("trainers-title").hidden = g.trainers.length === 0;
    var trainers = $("trainers");
    trainers.textContent = "";
    g.trainers.forEach(function (p) { trainers.appendChild(personCard(p)); });
    $("manager-tools").hidden = !manager || state.closed;
    $("change-group").hidden = state.groups.length < 2;
  }

  function choose(p) {
    if (state.closed) { return; }
    if (p.arrived && (p.left || p.trainer)) {
      window.alert(S.already_done);
      return;
    }
    current = { person: p, leaving: !!p.arrived };
    if (current.leaving) {
      $("leave-name").textContent = p.name;
      $("leave-question").textContent = S.leave_question;
      show("leave");
      return;
    }
    openPad();
  }

  function openPad() {
    $("pad-name").textContent = current.leaving ? fill(S.leaving_name, { name: current.person.name }) : current.person.name;
    $("pad-help-text").textContent = current.leaving ? S.sign_leave_here : S.sign_here;
    strokes = [];
    show("pad");
    updateConfirm();
  }

  // --- the signing pad -----------------------------------------------------------------

  var pad = $("pad");
  var ctx = pad.getContext("2d");
  var drawing = null;

  function sizePad() {
    var rect = pad.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    pad.width = Math.round(rect.width * ratio);
    pad.height = Math.round(rect.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    redraw();
  }

  function redraw() {
    var rect = pad.getBoundingClientRect();
    ctx.clearRect(0, 0, rect.width, rect.height);
    ctx.strokeStyle = "#142c8c";
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    strokes.forEach(function (stroke) {
      ctx.beginPath();
      ctx.moveTo(stroke[0][0], stroke[0][1]);
      for (var i = 1; i < stroke.length; i++) { ctx.lineTo(stroke[i][0], stroke[i][1]); }
      if (stroke.length === 1) { ctx.lineTo(stroke[0][0] + 0.5, stroke[0][1]); }
      ctx.stroke();
    });
  }

  function point(event) {
    var rect = pad.getBoundingClientRect();
    return [Math.round(event.clientX - rect.left), Math.round(event.clientY - rect.top)];
  }

  pad.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    try { pad.setPointerCapture(event.pointerId); } catch (e) { /* ignore */ }
    drawing = [point(event)];
    strokes.push(drawing);
    redraw();
  });
  pad.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    var last = drawing[drawing.length - 1];
    if (p[0] !== last[0] || p[1] !== last[1]) { drawing.push(p); redraw(); }
  });
  function endStroke() { drawing = null; updateConfirm(); }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  function inked() {
    return strokes.some(function (s) { return s.length > 1; });
  }
  function updateConfirm() { $("pad-confirm").disabled = !inked(); }

  $("pad-clear").addEventListener("click", function () { strokes = []; redraw(); updateConfirm(); });
  $("pad-confirm").addEventListener("click", function () {
    if (!inked() || !current) { return; }
    var rect = pad.getBoundingClientRect();
    var button = $("pad-confirm");
    button.disabled = true;
    api("api/sign", {
      group: groupId, person: current.person.id, leaving: current.leaving,
      width: Math.round(rect.width), height: Math.round(rect.height), strokes: strokes
    }).then(function (data) {
      state = data.state;
      var p = findPerson(current.person.id) || current.person;
      $("done-thanks").textContent = S.thanks;
      $("done-name").textContent = p.name;
      $("done-time").textContent = current.leaving ? fill(S.left_at, { time: p.left || "" })
        : fill(p.late ? S.late_at : S.signed_at, { time: p.arrived || "" });
      show("done");
      doneTimer = window.setTimeout(backToList, 4000);
    }).catch(function (error) { button.disabled = false; failed(error); });
  });

  function findPerson(id) {
    var g = group();
    var all = g ? g.people.concat(g.trainers) : [];
    for (var i = 0; i < all.length; i++) { if (all[i].id === id) { return all[i]; } }
    return null;
  }

  function backToList() {
    if (doneTimer) { window.clearTimeout(doneTimer); doneTimer = null; }
    current = null;
    strokes = [];
    show("list");
    render();
  }

  // --- the project manager's actions ---------------------------------------------------

  function after(promise) {
    return promise.then(function (data) { state = data.state; render(); }).catch(failed);
  }
  function mark(p, status) { after(api("api/mark", { group: groupId, person: p.id, status: status })); }
  function correct(seq) {
    var reason = window.prompt(S.correct_reason, "");
    if (reason === null || !reason.trim()) { return; }
    after(api("api/correct", { seq: seq, reason: reason }));
  }
  $("walk-in").addEventListener("click", function () {
    var name = window.prompt(S.walk_in_prompt, "");
    if (name === null || !name.trim()) { return; }
    after(api("api/walk-in", { group: groupId, name: name }));
  });
  $("close").addEventListener("click", function () {
    if (!window.confirm(S.close_confirm)) { return; }
    after(api("api/close", {}));
  });
  $("change-group").addEventListener("click", function () {
    groupId = null;
    try { window.history.replaceState(null, "", window.location.pathname); } catch (e) { /* ignore */ }
    show("groups");
    render();
  });

  // --- wiring --------------------------------------------------------------------------

  $("back").textContent = "\u2190 " + S.back;
  $("back").addEventListener("click", backToList);
  $("leave-go").textContent = S.leave_button;
  $("leave-go").addEventListener("click", openPad);
  $("pad-clear").textContent = S.clear;
  $("pad-confirm").textContent = S.confirm;
  $("done-ok").textContent = S.ok;
  $("done-ok").addEventListener("click", backToList);
  $("walk-in").textContent = "+ " + S.walk_in;
  $("close").textContent = S.close_sheet;
  $("change-group").textContent = S.other_group;
  if (manager) { document.body.classList.add("manager"); }
  var match = /g=([^&]+)/.exec(window.location.hash || "");
  if (match) { groupId = decodeURIComponent(match[1]); }
  window.addEventListener("resize", function () { if (screen === "pad") { sizePad(); } });

  // The server wrote the first screen from this same state (sign_server.render_first_screen):
  // draw it again at once, with its buttons working, then keep it fresh.
  if (boot.state) {
    state = boot.state;
    $("clock").textContent = state.now;
    render();
  }
  refresh();
  window.setInterval(refresh, 2000);
})();
