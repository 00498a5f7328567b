/// The explorer's stylesheet and script, inlined into every explorer page (no network, no modules).
///
/// The script reads its data from the `<script type="application/json">` block next to it, scoped by
/// the instance id, so several explorers on one page (two outputs in a notebook) never clash.
enum ExplorerScript {
  static let css = #"""
.vx-root{font:13px/1.35 "DejaVu Sans",Verdana,sans-serif;color:#23262d;background:#f7f5f0;border:1px solid #dcd8cf;border-radius:8px;padding:8px;max-width:1200px;box-sizing:border-box;position:relative}
.vx-root *{box-sizing:border-box}
.vx-bar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.vx-title{font-weight:bold;margin-right:8px}
.vx-bar input[type=search]{flex:1 1 180px;min-width:120px;padding:4px 8px;border:1px solid #c9c4b8;border-radius:5px;background:#fff}
.vx-bar button{padding:3px 9px;border:1px solid #c9c4b8;border-radius:5px;background:#fff;cursor:pointer;font:inherit}
.vx-bar button.vx-on{background:#23262d;color:#f7f5f0;border-color:#23262d}
.vx-main{display:flex;gap:8px;align-items:stretch}
.vx-stage{position:relative;flex:1 1 auto;min-width:0}
.vx-stage canvas{display:block;width:100%;border-radius:6px;background:#fbfaf7;cursor:grab;touch-action:none}
.vx-side{flex:0 0 260px;max-height:520px;overflow:auto;border-left:1px solid #e2ded5;padding-left:8px}
.vx-side h4{margin:2px 0 4px;font-size:12px;color:#5d6169}
.vx-list{list-style:none;margin:0;padding:0}
.vx-list li{padding:3px 2px;border-bottom:1px solid #eeeae2;cursor:pointer}
.vx-list li:hover{background:#efe9dc}
.vx-act{float:right;color:#5d6169;font-size:11px;margin-left:6px}
.vx-list mark{background:#ffe08a;padding:0}
.vx-tip{position:absolute;pointer-events:none;background:rgba(35,38,45,.93);color:#f7f5f0;padding:5px 8px;border-radius:5px;max-width:320px;font-size:12px;display:none;z-index:3}
.vx-foot{display:flex;gap:6px;align-items:center;margin-top:6px;color:#5d6169;font-size:12px;flex-wrap:wrap}
.vx-foot input{flex:1 1 200px;font:12px monospace;padding:3px 6px;border:1px solid #d6d1c6;border-radius:4px;background:#fff}
"""#

  static let js = #"""
(function(){
"use strict";
var ID = "__VX_ID__";
var root = document.getElementById(ID);
if (!root || root.getAttribute("data-ready")) return;
root.setAttribute("data-ready", "1");
var staticImage = document.getElementById(ID + "-static");
if (staticImage) staticImage.style.display = "none";  // the live canvas replaces the saved picture
var D = JSON.parse(document.getElementById(ID + "-data").textContent);
var registry = window.vistaExplorer = window.vistaExplorer || {instances: {}, lastMessage: null};
function $(s){ return document.getElementById(ID + "-" + s); }
var canvas = $("canvas"), ctx = canvas.getContext("2d"), tip = $("tip"), list = $("list"), listTitle = $("listtitle");
var n = D.n, Q = D.q;
var X = new Float32Array(n), Y = new Float32Array(n);
for (var i = 0; i < n; i++) { X[i] = D.x[i] / Q * D.aspect; Y[i] = D.y[i] / Q; }
// View: screen = (world * base) * k + t, world x in [0, aspect], y in [0, 1].
var view = {k: 1, tx: 0, ty: 0}, base = 1, W = 0, H = 0, dpr = window.devicePixelRatio || 1;
var mode = "pan", matches = null, selection = [], lasso = null, hover = -1, drag = null;
var images = {}, inst = {id: ID, drawnCount: 0, lastMessage: null, matches: [], selection: []};
registry.instances[ID] = inst;

function hexToRgb(h){ return [parseInt(h.substr(1,2),16), parseInt(h.substr(3,2),16), parseInt(h.substr(5,2),16)]; }
var stops = D.cmap.map(hexToRgb);
function colorOf(v){
  var t = (v - D.range[0]) / Math.max(1e-12, D.range[1] - D.range[0]);
  t = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  var k = Math.min(stops.length - 2, Math.floor(t)), f = t - k, a = stops[k], b = stops[k+1];
  return "rgb(" + Math.round(a[0]+(b[0]-a[0])*f) + "," + Math.round(a[1]+(b[1]-a[1])*f) + "," + Math.round(a[2]+(b[2]-a[2])*f) + ")";
}
var pointColor = new Array(n);
for (var i = 0; i < n; i++) pointColor[i] = D.cat ? D.catColors[D.cat[i]] : colorOf(D.a[i]);
var order = []; for (var i = 0; i < n; i++) order.push(i);
if (!D.cat) order.sort(function(p, q){ return D.a[p] - D.a[q]; });

function resize(){
  var w = canvas.parentNode.clientWidth || 800;
  var h = Math.round(w / D.aspect);
  if (h > 620) { h = 620; }
  W = w; H = h; canvas.style.height = h + "px";
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  base = Math.min(w / D.aspect, h);
  draw();
}
function sx(x){ return x * base * view.k + view.tx; }
function sy(y){ return y * base * view.k + view.ty; }
function wx(px){ return (px - view.tx) / (base * view.k); }
function wy(py){ return (py - view.ty) / (base * view.k); }
function fitView(){
  view.k = 1;
  view.tx = (W - D.aspect * base) / 2; view.ty = (H - base) / 2;
}

function drawAtlas(){
  var A = D.atlas; if (!A || !$("atlas").checked) return;
  var pxPerWorld = base * view.k * dpr, full = A.width / D.aspect;
  var z = A.maxLevel + Math.ceil(Math.log2(Math.max(1e-6, pxPerWorld / full)));
  z = Math.max(0, Math.min(A.maxLevel, z));
  var s = Math.pow(2, z - A.maxLevel), ts = A.tileSize, levelW = Math.ceil(A.width * s), levelH = Math.ceil(A.height * s);
  var cols = Math.ceil(levelW / ts), rows = Math.ceil(levelH / ts), unit = levelH; // level px per world unit
  for (var ty = 0; ty < rows; ty++) for (var tx = 0; tx < cols; tx++) {
    var x0 = sx(tx * ts / unit), y0 = sy(ty * ts / unit), x1 = sx(Math.min(levelW, (tx + 1) * ts) / unit), y1 = sy(Math.min(levelH, (ty + 1) * ts) / unit);
    if (x1 < 0 || y1 < 0 || x0 > W || y0 > H) continue;
    var key = z + "/" + tx + "_" + ty, img = images[key];
    if (!img) {
      img = images[key] = new Image();
      img.onload = function(){ schedule(); };
      img.src = (A.inline && A.inline[key]) || (A.base + key + ".png");
    }
    if (img.complete && img.naturalWidth) ctx.drawImage(img, x0, y0, x1 - x0, y1 - y0);
  }
}
function ringPath(r){
  ctx.moveTo(sx(r[0] / Q * D.aspect), sy(r[1] / Q));
  for (var j = 2; j < r.length; j += 2) ctx.lineTo(sx(r[j] / Q * D.aspect), sy(r[j+1] / Q));
  ctx.closePath();
}
function drawRegions(){
  if (!$("regions").checked) return;
  D.regions.forEach(function(R){
    R.levels.forEach(function(rings, l){
      ctx.beginPath(); rings.forEach(ringPath);
      ctx.fillStyle = R.fill; ctx.globalAlpha = 0.28 + 0.05 * l; ctx.fill("evenodd");
    });
    ctx.globalAlpha = 0.35; ctx.strokeStyle = R.ink; ctx.lineWidth = 1;
    if (R.levels.length) { ctx.beginPath(); R.levels[0].forEach(ringPath); ctx.stroke(); }
    ctx.globalAlpha = 1;
  });
  var top = 1e-9; D.links.forEach(function(L){ top = Math.max(top, L.s); });
  D.links.forEach(function(L){
    var a = D.regions[L.a].peak, b = D.regions[L.b].peak;
    var ax = sx(a[0] / Q * D.aspect), ay = sy(a[1] / Q), bx = sx(b[0] / Q * D.aspect), by = sy(b[1] / Q);
    var dx = bx - ax, dy = by - ay;
    ctx.beginPath(); ctx.moveTo(ax, ay);
    ctx.bezierCurveTo(ax + dx/3 - dy*0.12, ay + dy/3 + dx*0.12, ax + 2*dx/3 - dy*0.12, ay + 2*dy/3 + dx*0.12, bx, by);
    ctx.strokeStyle = "rgba(60,64,72," + (0.25 + 0.4 * L.s / top) + ")"; ctx.lineWidth = 1 + 5 * L.s / top; ctx.stroke();
  });
}
function drawPoints(){
  var drawn = 0;
  if (!$("points").checked) { inst.drawnCount = 0; root.setAttribute("data-drawn", "0"); return; }
  var r = Math.max(1.4, Math.min(5, 2.1 * Math.sqrt(view.k) * Math.sqrt(4000 / Math.max(n, 1)) * base / 500));
  var dim = matches || selection.length;
  for (var o = 0; o < n; o++) {
    var i = order[o], x = sx(X[i]), y = sy(Y[i]);
    if (x < -r || y < -r || x > W + r || y > H + r) continue;
    drawn++;
    ctx.globalAlpha = dim ? 0.25 : 0.9;
    ctx.fillStyle = pointColor[i];
    ctx.beginPath(); ctx.arc(x, y, r, 0, 6.2832); ctx.fill();
  }
  ctx.globalAlpha = 1;
  function ringed(ids, colour){
    ids.forEach(function(i){
      var x = sx(X[i]), y = sy(Y[i]);
      ctx.beginPath(); ctx.arc(x, y, r + 1.5, 0, 6.2832);
      ctx.fillStyle = pointColor[i]; ctx.fill(); ctx.lineWidth = 1.6; ctx.strokeStyle = colour; ctx.stroke();
    });
  }
  if (matches) ringed(matches, "#d1495b");
  if (selection.length) ringed(selection, "#f28e2b");
  if (hover >= 0) ringed([hover], "#111");
  inst.drawnCount = drawn;
  root.setAttribute("data-drawn", String(drawn));
}
function drawLabels(){
  if (!$("labels").checked) return;
  var boxes = [];
  D.labels.forEach(function(L){
    if (L.lv > 0 && view.k < 1.6) return;
    var size = L.lv === 0 ? 15 : 11.5;
    ctx.font = (L.lv === 0 ? "bold " : "") + size + "px 'DejaVu Sans',Verdana,sans-serif";
    var lines = L.lines, w = 0;
    lines.forEach(function(t){ w = Math.max(w, ctx.measureText(t).width); });
    var h = lines.length * size * 1.16, ax = sx(L.x / Q * D.aspect), ay = sy(L.y / Q), cx = 0, cy = 0, box = null;
    // Same candidates as the static placer: the anchor, then shifted above, below and sideways.
    var shifts = [[0, 0], [0, -0.75*h], [0, 0.75*h], [-0.4*w, 0], [0.4*w, 0], [0, -1.5*h], [0, 1.5*h]];
    for (var c = 0; c < shifts.length && !box; c++) {
      var bx = [ax + shifts[c][0] - w/2 - 3, ay + shifts[c][1] - h/2 - 3, w + 6, h + 6], clash = false;
      if (bx[0] + bx[2] < 0 || bx[1] + bx[3] < 0 || bx[0] > W || bx[1] > H) return;
      for (var b = 0; b < boxes.length && !clash; b++) {
        var o = boxes[b];
        clash = bx[0] < o[0] + o[2] && o[0] < bx[0] + bx[2] && bx[1] < o[1] + o[3] && o[1] < bx[1] + bx[3];
      }
      if (!clash) { box = bx; cx = ax + shifts[c][0]; cy = ay + shifts[c][1]; }
    }
    if (!box) return;
    boxes.push(box);
    ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
    lines.forEach(function(t, k){
      var y = cy - h/2 + size * 1.16 * (k + 0.5);
      ctx.lineWidth = size * 0.3; ctx.strokeStyle = "rgba(247,245,240,0.92)"; ctx.strokeText(t, cx, y);
      ctx.fillStyle = L.ink; ctx.fillText(t, cx, y);
    });
  });
  inst.labelCount = boxes.length;
}
function drawLasso(){
  if (!lasso || lasso.length < 2) return;
  ctx.beginPath(); ctx.moveTo(lasso[0][0], lasso[0][1]);
  for (var j = 1; j < lasso.length; j++) ctx.lineTo(lasso[j][0], lasso[j][1]);
  if (mode === "lasso") ctx.closePath();
  ctx.fillStyle = "rgba(242,142,43,0.12)"; ctx.fill();
  ctx.setLineDash([5, 4]); ctx.strokeStyle = "#f28e2b"; ctx.lineWidth = 1.5; ctx.stroke(); ctx.setLineDash([]);
}
function draw(){
  pending = false;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fbfaf7"; ctx.fillRect(0, 0, W, H);
  drawAtlas(); drawRegions(); drawPoints(); drawLabels(); drawLasso();
}
var pending = false;
function schedule(){ if (!pending) { pending = true; (window.requestAnimationFrame || setTimeout)(draw); } }

function escapeHtml(s){ return s.replace(/[&<>"']/g, function(c){ return {"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]; }); }
function highlight(text, words){
  var out = escapeHtml(text);
  words.forEach(function(w){
    if (!w) return;
    var re = new RegExp("(" + escapeHtml(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi");
    out = out.replace(re, "<mark>$1</mark>");
  });
  return out;
}
function showList(title, ids, words){
  listTitle.textContent = title + " (" + ids.length + ")";
  var sorted = ids.slice().sort(function(p, q){ return D.a[q] - D.a[p]; }).slice(0, 300);
  list.innerHTML = sorted.map(function(i){
    return "<li data-i=\"" + i + "\"><span class=\"vx-act\">" + D.a[i].toFixed(2) + "</span>" + highlight(D.cap[i], words || []) + "</li>";
  }).join("");
}
list.addEventListener("click", function(e){
  var li = e.target.closest("li"); if (!li) return;
  var i = +li.getAttribute("data-i");
  view.k = Math.max(view.k, 4); view.tx = W / 2 - X[i] * base * view.k; view.ty = H / 2 - Y[i] * base * view.k;
  hover = i; schedule();
});

inst.search = function(text){
  var words = String(text || "").toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) { matches = null; inst.matches = []; showList("Captions", [], []); schedule(); return []; }
  var found = [];
  for (var i = 0; i < n; i++) {
    var c = D.cap[i].toLowerCase(), ok = true;
    for (var w = 0; w < words.length; w++) if (c.indexOf(words[w]) < 0) { ok = false; break; }
    if (ok) found.push(i);
  }
  matches = found; inst.matches = found;
  showList("Matches for \u201c" + text + "\u201d", found, words);
  schedule();
  return found;
};
$("search").addEventListener("input", function(e){ inst.search(e.target.value); });

function pointInPolygon(x, y, poly){
  var inside = false;
  for (var a = 0, b = poly.length - 1; a < poly.length; b = a++) {
    var xa = poly[a][0], ya = poly[a][1], xb = poly[b][0], yb = poly[b][1];
    if ((ya > y) !== (yb > y) && x < (xb - xa) * (y - ya) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}
function setSelection(ids, how){
  selection = ids; inst.selection = ids;
  showList("Selection (" + how + ")", ids, matches ? ($("search").value || "").toLowerCase().split(/\s+/) : []);
  $("ids").value = "captions ids=" + ids.map(function(i){ return D.ids ? D.ids[i] : i; }).join(",");
  schedule();
  if (ids.length) inst.sendSelection();
}
/// Selects the points inside a rectangle given in map units (x in [0, 1] across, y in [0, 1] down).
inst.selectRect = function(x0, y0, x1, y1){
  var ax = Math.min(x0, x1) * D.aspect, bx = Math.max(x0, x1) * D.aspect, ay = Math.min(y0, y1), by = Math.max(y0, y1), ids = [];
  for (var i = 0; i < n; i++) if (X[i] >= ax && X[i] <= bx && Y[i] >= ay && Y[i] <= by) ids.push(i);
  setSelection(ids, "box"); return ids;
};
/// Selects the points inside a polygon given in map units.
inst.selectLasso = function(points){
  var poly = points.map(function(p){ return [p[0] * D.aspect, p[1]]; }), ids = [];
  for (var i = 0; i < n; i++) if (pointInPolygon(X[i], Y[i], poly)) ids.push(i);
  setSelection(ids, "lasso"); return ids;
};
inst.clearSelection = function(){ selection = []; inst.selection = []; $("ids").value = ""; schedule(); };

function uuid(){
  var b = new Uint8Array(16); (window.crypto || {getRandomValues: function(a){ for (var i = 0; i < a.length; i++) a[i] = Math.random() * 256; return a; }}).getRandomValues(b);
  var h = Array.prototype.map.call(b, function(x){ return (x + 256).toString(16).substr(1); }).join("");
  return h.substr(0,8) + "-" + h.substr(8,4) + "-" + h.substr(12,4) + "-" + h.substr(16,4) + "-" + h.substr(20);
}
function jupyterConfig(){
  try { var el = document.getElementById("jupyter-config-data"); if (el) return JSON.parse(el.textContent); } catch (e) {}
  try { var p = window.parent && window.parent.document.getElementById("jupyter-config-data"); if (p) return JSON.parse(p.textContent); } catch (e) {}
  return null;
}
function sendOverWebSocket(data){
  if (!D.kernelId || !/^https?:$/.test(location.protocol) || !window.WebSocket) return false;
  var cfg = jupyterConfig() || {}, baseUrl = cfg.baseUrl;
  if (!baseUrl) { var m = location.pathname.match(/^(.*?\/)(lab|notebooks|tree|doc|voila|edit|view)(\/|$)/); baseUrl = m ? m[1] : "/"; }
  var token = cfg.token || new URLSearchParams(location.search).get("token") || "";
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + baseUrl.replace(/\/?$/, "/") +
    "api/kernels/" + encodeURIComponent(D.kernelId) + "/channels?session_id=" + uuid() + (token ? "&token=" + encodeURIComponent(token) : "");
  var msg = {
    header: {msg_id: uuid(), username: "vista-explorer", session: uuid(), msg_type: "comm_open", version: "5.3", date: new Date().toISOString()},
    parent_header: {}, metadata: {}, buffers: [], channel: "shell",
    content: {comm_id: uuid(), target_name: "vista.explorer", data: data}
  };
  try {
    var ws = new WebSocket(url);
    ws.onopen = function(){ ws.send(JSON.stringify(msg)); setTimeout(function(){ ws.close(); }, 1500); };
    ws.onerror = function(){ $("status").textContent = "kernel websocket failed: copy the command below"; };
    return true;
  } catch (e) { return false; }
}
/// Sends the selection to the kernel on comm target "vista.explorer" and keeps it in lastMessage.
inst.sendSelection = function(){
  var data = {event: "selection", ids: selection.map(function(i){ return D.ids ? D.ids[i] : i; }), indices: selection.slice(), explorer: ID};
  var transport = "event";
  try {
    var J = window.Jupyter;
    if (J && J.notebook && J.notebook.kernel && J.notebook.kernel.comm_manager) {
      J.notebook.kernel.comm_manager.new_comm("vista.explorer", data); transport = "classic-notebook";
    } else if (sendOverWebSocket(data)) { transport = "websocket"; }
  } catch (e) { transport = "event"; }
  var message = {target: "vista.explorer", transport: transport, data: data};
  inst.lastMessage = message; registry.lastMessage = message;
  var ev; try { ev = new CustomEvent("vista-selection", {detail: message, bubbles: true}); } catch (e) { ev = document.createEvent("CustomEvent"); ev.initCustomEvent("vista-selection", true, false, message); }
  root.dispatchEvent(ev);
  $("status").textContent = data.indices.length + " selected, sent via " + transport;
  return message;
};
$("send").addEventListener("click", function(){ inst.sendSelection(); });
$("copy").addEventListener("click", function(){ var f = $("ids"); f.select(); try { document.execCommand("copy"); } catch (e) {} });
$("reset").addEventListener("click", function(){ fitView(); inst.clearSelection(); schedule(); });
["pan", "box", "lasso"].forEach(function(m){
  $("mode-" + m).addEventListener("click", function(){
    mode = m;
    ["pan", "box", "lasso"].forEach(function(k){ $("mode-" + k).className = k === m ? "vx-on" : ""; });
    canvas.style.cursor = m === "pan" ? "grab" : "crosshair";
  });
});
["regions", "points", "labels", "atlas"].forEach(function(k){ var el = $(k); if (el) el.addEventListener("change", schedule); });

function local(e){ var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
canvas.addEventListener("pointerdown", function(e){
  var p = local(e), m = e.shiftKey ? "box" : (e.altKey ? "lasso" : mode);
  drag = {mode: m, start: p, tx: view.tx, ty: view.ty};
  if (m !== "pan") lasso = [p];
  canvas.setPointerCapture && canvas.setPointerCapture(e.pointerId);
});
canvas.addEventListener("pointermove", function(e){
  var p = local(e);
  if (drag) {
    if (drag.mode === "pan") { view.tx = drag.tx + p[0] - drag.start[0]; view.ty = drag.ty + p[1] - drag.start[1]; }
    else if (drag.mode === "box") { var s = drag.start; lasso = [s, [p[0], s[1]], p, [s[0], p[1]]]; }
    else { lasso.push(p); }
    tip.style.display = "none"; schedule(); return;
  }
  var best = -1, bd = 100;
  for (var i = 0; i < n; i++) { var dx = sx(X[i]) - p[0], dy = sy(Y[i]) - p[1], d = dx*dx + dy*dy; if (d < bd) { bd = d; best = i; } }
  if (best !== hover) { hover = best; schedule(); }
  if (best >= 0) {
    var tc = Math.min(D.tiles.cols - 1, Math.floor(D.x[best] / Q * D.tiles.cols)), tr = Math.min(D.tiles.rows - 1, Math.floor(D.y[best] / Q * D.tiles.rows));
    tip.innerHTML = escapeHtml(D.cap[best]) + "<br><b>activation " + D.a[best].toFixed(3) + "</b>" + (D.cat ? " · " + escapeHtml(D.catNames[D.cat[best]]) : "") +
      " · #" + (D.ids ? D.ids[best] : best) + " · tile " + tc + "," + tr;
    tip.style.display = "block";
    tip.style.left = Math.min(p[0] + 14, W - 330) + "px"; tip.style.top = (p[1] + 14) + "px";
  } else tip.style.display = "none";
});
canvas.addEventListener("pointerup", function(e){
  if (!drag) return;
  var m = drag.mode; drag = null;
  if (m !== "pan" && lasso && lasso.length > 2) {
    var poly = lasso.map(function(q){ return [wx(q[0]) / D.aspect, wy(q[1])]; });
    lasso = null; inst.selectLasso(poly);
  }
  lasso = null; schedule();
});
canvas.addEventListener("pointerleave", function(){ tip.style.display = "none"; if (hover >= 0) { hover = -1; schedule(); } });
canvas.addEventListener("wheel", function(e){
  e.preventDefault();
  var p = local(e), f = Math.exp(-e.deltaY * 0.0015), k = Math.max(0.5, Math.min(200, view.k * f));
  f = k / view.k; view.tx = p[0] - (p[0] - view.tx) * f; view.ty = p[1] - (p[1] - view.ty) * f; view.k = k; schedule();
}, {passive: false});
inst.zoom = function(k, x, y){ // zoom factor k around map point (x, y) in map units
  view.k = k; view.tx = W / 2 - x * D.aspect * base * k; view.ty = H / 2 - y * base * k; draw();
};
inst.redraw = draw;
/// Canvas pixel -> map units, and point -> canvas pixel (for tests and embedding pages).
inst.toMap = function(px, py){ return [wx(px) / D.aspect, wy(py)]; };
inst.toScreen = function(i){ return [sx(X[i]), sy(Y[i])]; };
window.addEventListener("resize", resize);
resize(); fitView(); draw();
showList("Captions", [], []);
$("status").textContent = n + " captions · drag to pan, wheel to zoom, shift-drag box, alt-drag lasso";
$("status").title = Object.keys(D.meta || {}).sort().map(function(k){ return k + ": " + D.meta[k]; }).join("\n");
})();
"""#
}
