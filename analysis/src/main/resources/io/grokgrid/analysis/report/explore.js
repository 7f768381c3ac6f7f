// Draws the learning curves embedded in the page (element #gg-curves) as small multiples with
// Apache ECharts (echarts.min.js next to the page). No network: data and code are local.
// The root element records what was drawn (data-panels, data-series) or what failed
// (data-error) so that a headless browser's DOM dump can be checked.
(function () {
  'use strict';
  var root = document.getElementById('gg-explore');
  window.addEventListener('error', function (e) {
    root.setAttribute('data-error', String(e.message));
  });
  if (typeof echarts === 'undefined') {
    root.setAttribute('data-error', 'echarts.min.js did not load');
    root.appendChild(document.createTextNode('The chart library (echarts.min.js) did not load: '
        + 'it must sit next to this page. The PNG charts below show the same curves.'));
    return;
  }
  var D = JSON.parse(document.getElementById('gg-curves').textContent);
  var L = D.layout;
  var ACC = D.metric === 'accuracy';
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2',
    '#7f7f7f', '#bcbd22', '#17becf'];
  var TRAIN = '#1f77b4';
  var TEST = '#ff7f0e';
  var MAX_LOG = Math.log10(Math.max(D.lastStep, 10));
  var state = { mode: 'band', sheet: 0, lo: 0, hi: MAX_LOG };
  var charts = [];
  // the address may pick the view, e.g. index.html#explore&mode=runs&from=1&to=2 (log10 steps)
  // and '&tip' (the first panel's tooltip),
  // so that a link or a headless screenshot shows a given state
  (location.hash || '').split('&').forEach(function (kv) {
    var p = kv.split('=');
    if (p[0] === 'mode' && (p[1] === 'runs' || p[1] === 'band')) state.mode = p[1];
    if (p[0] === 'from' && isFinite(+p[1])) state.lo = Math.max(0, +p[1]);
    if (p[0] === 'to' && isFinite(+p[1])) state.hi = Math.min(MAX_LOG, +p[1]);
    if (p[0] === 'tip') state.tip = true;
  });
  if (!(state.hi > state.lo + 0.05)) { state.lo = 0; state.hi = MAX_LOG; }

  function axisIndex(name) { return name === null ? -1 : D.axes.indexOf(name); }
  function label(p, name) { var i = axisIndex(name); return i < 0 ? '' : p.labels[i]; }
  function distinct(name, pts) {
    var out = [];
    pts.forEach(function (p) { var v = label(p, name); if (out.indexOf(v) < 0) out.push(v); });
    return out;
  }
  function sheetKey(p) {
    return L.sheets.map(function (a) { return a + '=' + label(p, a); }).join(', ');
  }
  var sheetKeys = [];
  D.points.forEach(function (p) {
    var k = sheetKey(p);
    if (sheetKeys.indexOf(k) < 0) sheetKeys.push(k);
  });
  var colours = distinct(L.colour, D.points);
  var runsByPoint = D.points.map(function () { return []; });
  D.runs.forEach(function (r) { runsByPoint[r.point].push(r); });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.appendChild(document.createTextNode(text));
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return 'n/a';
    var a = Math.abs(v);
    return (a !== 0 && (a < 1e-3 || a >= 1e6)) ? v.toExponential(3) : String(+v.toPrecision(4));
  }
  function stepsText() {
    return 'steps ' + fmt(Math.round(Math.pow(10, state.lo))) + ' to '
        + fmt(Math.round(Math.pow(10, state.hi)));
  }
  function colourOf(p, metric) {
    if (L.colour === null) return metric === 'train' ? TRAIN : TEST;
    return PALETTE[colours.indexOf(label(p, L.colour)) % PALETTE.length];
  }
  function usable(v) { return v !== null && (ACC || v > 0); }

  // The band: one polygon through the 20th percentiles forward and the 80th back, drawn by a
  // custom series because stacked areas cannot sit on a log y axis.
  function bandSeries(p, metric, colour) {
    var pts = [];
    p.steps.forEach(function (s, i) {
      var q = p[metric][i];
      if (q !== null && usable(q[0]) && usable(q[2])) pts.push([s, q[0], q[2]]);
    });
    if (pts.length < 2) return null;
    return {
      type: 'custom', silent: true, z: 1, tooltip: { show: false },
      data: [[pts[0][0], pts[0][1]]],
      renderItem: function (params, api) {
        var poly = [];
        pts.forEach(function (q) { poly.push(api.coord([q[0], q[1]])); });
        for (var i = pts.length - 1; i >= 0; i--) poly.push(api.coord([pts[i][0], pts[i][2]]));
        var cs = params.coordSys;
        return { type: 'polygon', shape: { points: poly },
          clipPath: { type: 'rect', shape: { x: cs.x, y: cs.y, width: cs.width,
            height: cs.height } },
          style: { fill: colour, opacity: 0.18 } };
      }
    };
  }

  function pointSeries(p, meta) {
    var out = [];
    ['train', 'test'].forEach(function (metric) {
      var colour = colourOf(p, metric);
      var name = metric + (L.colour === null ? '' : ' ' + L.colour + '=' + label(p, L.colour));
      var line = { type: 'line', showSymbol: false, z: 3, clip: true,
        lineStyle: { color: colour, width: 1.8, type: metric === 'train' ? 'dashed' : 'solid' },
        itemStyle: { color: colour }, emphasis: { disabled: true } };
      if (state.mode === 'band') {
        var band = bandSeries(p, metric, colour);
        if (band) { out.push(band); meta.push(null); }
        var data = [];
        p.steps.forEach(function (s, i) {
          var q = p[metric][i];
          if (q !== null && usable(q[1])) data.push([s, q[1], q[0], q[2], p.runs[i]]);
        });
        line.name = name + ' median';
        line.data = data;
        if (metric === 'test' && ACC) {
          line.markLine = { silent: true, symbol: 'none', label: { show: false },
            lineStyle: { color: '#555', type: 'dotted', width: 1 },
            data: [{ yAxis: D.threshold }] };
        }
        out.push(line);
        meta.push({ point: p, metric: metric, kind: 'median' });
      } else {
        runsByPoint[D.points.indexOf(p)].forEach(function (r) {
          var data = [];
          r.steps.forEach(function (s, i) {
            if (usable(r[metric][i])) data.push([s, r[metric][i]]);
          });
          var one = Object.assign({}, line, { name: name + ' ' + r.id, data: data,
            lineStyle: Object.assign({}, line.lineStyle, { width: 1, opacity: 0.55 }) });
          out.push(one);
          meta.push({ point: p, metric: metric, kind: 'run', id: r.id });
        });
      }
    });
    return out;
  }

  function tooltip(meta) {
    return function (params) {
      if (!params.length) return '';
      var lines = ['<b>step ' + params[0].value[0] + '</b>'];
      var seen = {};
      params.forEach(function (q) {
        var m = meta[q.seriesIndex];
        if (!m) return;
        var p = m.point;
        if (!seen[p.label]) {
          seen[p.label] = true;
          var i = p.steps.indexOf(q.value[0]);
          lines.push('<i>' + p.label + '</i>, ' + (i < 0 ? '?' : p.runs[i]) + ' runs');
        }
        if (m.kind === 'median') {
          lines.push(q.marker + m.metric + ' median ' + fmt(q.value[1]) + ' [20-80%: '
              + fmt(q.value[2]) + ', ' + fmt(q.value[3]) + ']');
        } else {
          lines.push(q.marker + m.metric + ' ' + m.id + ': ' + fmt(q.value[1]));
        }
      });
      return lines.join('<br>');
    };
  }

  function option(pts, title) {
    var meta = [];
    var series = [];
    pts.forEach(function (p) { series = series.concat(pointSeries(p, meta)); });
    return {
      animation: false,
      title: { text: title, left: 'center', top: 2, textStyle: { fontSize: 11,
        fontWeight: 'normal' } },
      grid: { left: 44, right: 10, top: 24, bottom: 30 },
      tooltip: { trigger: 'axis', confine: true, formatter: tooltip(meta),
        axisPointer: { type: 'line' }, textStyle: { fontSize: 11 } },
      xAxis: { type: 'log', logBase: 10, name: 'step', nameLocation: 'middle', nameGap: 18,
        min: Math.pow(10, state.lo), max: Math.pow(10, state.hi),
        axisLabel: { fontSize: 10, formatter: function (v) { return fmt(v); } },
        splitLine: { show: false } },
      yAxis: ACC ? { type: 'value', min: 0, max: 1, axisLabel: { fontSize: 10 } }
        : { type: 'log', axisLabel: { fontSize: 10, formatter: function (v) { return fmt(v); } } },
      series: series
    };
  }

  function panelTitle(rowV, colV) {
    var parts = [];
    if (L.row !== null) parts.push(L.row + '=' + rowV);
    if (L.col !== null) parts.push(L.col + '=' + colV);
    return parts.join(', ');
  }

  function render() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    gridBox.innerHTML = '';
    var pts = D.points.filter(function (p) { return sheetKey(p) === sheetKeys[state.sheet]; });
    var rows = distinct(L.row, pts);
    var cols = distinct(L.col, pts);
    var table = el('table', { 'class': 'gg-grid' });
    // in the document before the charts start: ECharts sizes a chart from its element's layout
    gridBox.appendChild(table);
    if (L.col !== null) {
      var head = el('tr');
      head.appendChild(el('th'));
      cols.forEach(function (c) { head.appendChild(el('th', {}, L.col + ' = ' + c)); });
      table.appendChild(head);
    }
    var nSeries = 0;
    rows.forEach(function (rv) {
      var tr = el('tr');
      table.appendChild(tr);
      tr.appendChild(el('th', {}, L.row === null ? '' : L.row + ' = ' + rv));
      cols.forEach(function (cv) {
        var td = el('td');
        var cell = pts.filter(function (p) {
          return label(p, L.row) === rv && label(p, L.col) === cv;
        });
        if (cell.length) {
          var div = el('div', { 'class': 'gg-panel' });
          td.appendChild(div);
          tr.appendChild(td);
          var chart = echarts.init(div, null, { renderer: 'canvas' });
          var opt = option(cell, panelTitle(rv, cv));
          nSeries += opt.series.length;
          chart.setOption(opt);
          charts.push(chart);
        } else {
          tr.appendChild(td);
        }
      });
    });
    root.setAttribute('data-panels', String(charts.length));
    root.setAttribute('data-ink', String(ink()));
    root.setAttribute('data-series', String(nSeries));
    root.setAttribute('data-mode', state.mode);
  }

  // The fewest painted pixels of any panel: a check that the charts drew, not only exist.
  function ink() {
    var least = Infinity;
    charts.forEach(function (c) {
      var canvas = c.getDom().querySelector('canvas');
      var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      var n = 0;
      for (var i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      least = Math.min(least, n);
    });
    return charts.length ? least : 0;
  }

  function zoom() {
    charts.forEach(function (c) {
      c.setOption({ xAxis: { min: Math.pow(10, state.lo), max: Math.pow(10, state.hi) } });
    });
    zoomText.textContent = stepsText();
    root.setAttribute('data-zoom', stepsText());
  }

  // controls
  var controls = el('div', { 'class': 'gg-controls' });
  ['band', 'runs'].forEach(function (mode) {
    var l = el('label');
    var r = el('input', { type: 'radio', name: 'gg-mode', value: mode, id: 'gg-mode-' + mode });
    if (mode === state.mode) r.checked = true;
    r.addEventListener('change', function () { state.mode = mode; render(); });
    l.appendChild(r);
    l.appendChild(document.createTextNode(mode === 'band' ? ' median and 20-80% band'
        : ' individual runs (' + D.runsNote + ')'));
    controls.appendChild(l);
  });
  if (sheetKeys.length > 1) {
    var sl = el('label', {}, 'sheet ');
    var sel = el('select', { id: 'gg-sheet' });
    sheetKeys.forEach(function (k, i) { sel.appendChild(el('option', { value: String(i) }, k)); });
    sel.addEventListener('change', function () { state.sheet = +sel.value; render(); });
    sl.appendChild(sel);
    controls.appendChild(sl);
  }
  var zl = el('label', {}, 'zoom ');
  var from = el('input', { type: 'range', id: 'gg-from', min: '0', max: String(MAX_LOG),
    step: '0.01', value: String(state.lo) });
  var to = el('input', { type: 'range', id: 'gg-to', min: '0', max: String(MAX_LOG),
    step: '0.01', value: String(state.hi) });
  var zoomText = el('span', {}, '');
  from.addEventListener('input', function () {
    state.lo = Math.min(+from.value, state.hi - 0.1); from.value = state.lo; zoom();
  });
  to.addEventListener('input', function () {
    state.hi = Math.max(+to.value, state.lo + 0.1); to.value = state.hi; zoom();
  });
  var reset = el('button', { type: 'button' }, 'all steps');
  reset.addEventListener('click', function () {
    state.lo = 0; state.hi = MAX_LOG; from.value = 0; to.value = MAX_LOG; zoom();
  });
  zl.appendChild(from);
  zl.appendChild(to);
  controls.appendChild(zl);
  controls.appendChild(zoomText);
  controls.appendChild(reset);
  root.appendChild(controls);

  var legend = el('div', { 'class': 'gg-legend' });
  var trainName = ACC ? 'train accuracy (noisy labels)' : 'train loss';
  var testName = ACC ? 'clean test accuracy' : 'test loss';
  if (L.colour === null) {
    legend.appendChild(el('span', {}, ''));
    legend.lastChild.appendChild(el('i', { style: 'border-color:' + TRAIN
        + ';border-top-style:dashed' }));
    legend.lastChild.appendChild(document.createTextNode(trainName));
    legend.appendChild(el('span', {}, ''));
    legend.lastChild.appendChild(el('i', { style: 'border-color:' + TEST }));
    legend.lastChild.appendChild(document.createTextNode(testName));
  } else {
    legend.appendChild(el('span', {}, 'dashed: ' + trainName + '; solid: ' + testName + '.'));
    colours.forEach(function (c, i) {
      var s = el('span');
      s.appendChild(el('i', { style: 'border-color:' + PALETTE[i % PALETTE.length] }));
      s.appendChild(document.createTextNode(L.colour + ' = ' + c));
      legend.appendChild(s);
    });
  }
  if (ACC) legend.appendChild(el('span', {}, 'dotted: generalization threshold '
      + fmt(D.threshold)));
  root.appendChild(legend);
  if (D.fixed) root.appendChild(el('p', { 'class': 'gg-note' }, D.title + '; ' + D.fixed));
  var gridBox = el('div');
  root.appendChild(gridBox);
  render();
  zoom();
  var heading = document.getElementById('explore');
  // an address that picks a view shows this section first (what precedes it but the title is
  // hidden): headless Chromium's screenshots are blank once the page is scrolled
  if (heading && (location.hash || '').indexOf('&') >= 0) {
    for (var n = heading.previousElementSibling; n; n = n.previousElementSibling) {
      if (n.tagName !== 'H1') n.style.display = 'none';
    }
  }
  // '&tip' shows the first panel's tooltip at two thirds of its width, as a hover would
  if (state.tip && charts.length) {
    charts[0].dispatchAction({ type: 'showTip', x: charts[0].getWidth() * 2 / 3,
      y: charts[0].getHeight() / 2 });
  }
})();
