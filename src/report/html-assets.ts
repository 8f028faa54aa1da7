// The HTML report's only style and script, constants of our own (no untrusted byte in either), and
// the Content-Security-Policy that allows exactly them by hash: default-src 'none' forbids every
// fetch (images, fonts, frames, connections), inline event handlers and any other script, so even
// a missed escape cannot run code or call home. No `style=` attribute is used anywhere (the
// policy blocks them).
import { createHash } from 'node:crypto';

// `redacted::before`: should the output layer still find a secret in the written page, it puts the
// raw marker <redacted> there, which HTML parses as an element of its own; this shows it.
export const CSS = `
:root{color-scheme:light;--fail:#b3261e;--unknown:#1c4fa0;--pass:#1e6b34;--na:#5f6368;--line:#d0d4da;--soft:#f4f6f8}
*{box-sizing:border-box}
[hidden]{display:none!important}
redacted::before{content:"<redacted>";font-style:italic}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1f24;background:#fff}
header,main,footer{max-width:76rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1rem;border-bottom:1px solid var(--line)}
h1{font-size:1.5rem;margin:.4rem 0}
h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.08rem;margin:1.3rem 0 .4rem}
h4{font-size:1rem;margin:0 0 .25rem;display:flex;flex-wrap:wrap;gap:.4rem;align-items:baseline}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.pre{white-space:pre-wrap;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.6rem 0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:2}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
table{border-collapse:collapse;margin:.4rem 0 1rem}
th,td{border:1px solid var(--line);padding:.25rem .55rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
.counts{display:flex;flex-wrap:wrap;gap:1.5rem}
.counts caption{text-align:left;font-weight:600;padding-bottom:.2rem}
.counts th{background:var(--soft);text-align:center}
.counts td{text-align:center;font-variant-numeric:tabular-nums;font-weight:700;font-size:1.35rem;min-width:6.5rem}
.warn{border:2px solid var(--fail);padding:.5rem .8rem;background:#fdecea}
.badge{font-weight:700;padding:0 .35rem;border:2px solid currentColor;border-radius:3px;white-space:nowrap}
.st-fail{color:var(--fail)}.st-unknown{color:var(--unknown)}.st-pass{color:var(--pass)}.st-not-applicable{color:var(--na)}
.sev{font-weight:600;text-transform:uppercase;font-size:.8em;letter-spacing:.03em;white-space:nowrap}
.sev-critical{color:#7a0b6e}.sev-high{color:var(--fail)}.sev-medium{color:#8a5300}.sev-low,.sev-info{color:var(--na)}
.finding{border:1px solid var(--line);border-left:6px solid var(--na);padding:.55rem .8rem;margin:.5rem 0;break-inside:avoid}
.finding.st-fail{border-left-color:var(--fail)}.finding.st-unknown{border-left-color:var(--unknown)}.finding.st-pass{border-left-color:var(--pass)}
.finding,.finding p{color:#1b1f24}.finding p{margin:.25rem 0}
.meta{font-size:.88em;color:#444}
.fix{background:var(--soft);padding:.35rem .6rem;border-radius:3px}
.evidence{margin:.25rem 0;padding-left:1.2rem}
form#filters{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:end;padding:.7rem .9rem;background:var(--soft);border:1px solid var(--line);position:sticky;top:0;z-index:1}
form#filters label{display:flex;flex-direction:column;font-weight:600;font-size:.9em}
select,button{font:inherit;padding:.2rem .4rem;min-height:2rem}
#shown{margin:.4rem 0;font-weight:600}
.matrix{font-size:.85em}
.matrix thead th.chk{vertical-align:bottom;padding:.3rem .15rem}
.matrix thead th.chk span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.matrix td{text-align:center;white-space:nowrap}
.matrix th[scope=row]{white-space:nowrap}
.open{color:var(--fail);font-weight:700}
.closed{color:var(--pass)}
.wrapx{overflow-x:auto}
footer{color:#555;font-size:.85em;padding:1.5rem 1.25rem}
@media print{
 form#filters,.skip,#shown{display:none!important}
 [data-finding][hidden],[data-group][hidden]{display:block!important}
 body{font-size:10pt}header,main,footer{max-width:none}
 a{color:inherit;text-decoration:none}
 .finding{border-left-width:4px}
}
`;

// Filtering only: the page is complete without it (the form is hidden until this shows it). It
// compares each select's value with the data-* attribute of the same name; it never builds HTML.
export const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var selects = form.querySelectorAll('select');
  var items = document.querySelectorAll('[data-finding]');
  var groups = document.querySelectorAll('[data-group]');
  var shown = document.getElementById('shown');
  function apply() {
    var n = 0;
    for (var i = 0; i < items.length; i++) {
      var el = items[i], ok = true;
      for (var j = 0; j < selects.length; j++) {
        var v = selects[j].value;
        if (v !== '' && el.getAttribute('data-' + selects[j].name) !== v) { ok = false; break; }
      }
      el.hidden = !ok;
      if (ok) n++;
    }
    for (var k = 0; k < groups.length; k++) {
      var inGroup = groups[k].querySelectorAll('[data-finding]:not([hidden])').length;
      var count = groups[k].querySelector('[data-count]');
      var total = count.getAttribute('data-count');
      groups[k].hidden = inGroup === 0;
      count.textContent = '(' + (String(inGroup) === total ? total : inGroup + ' of ' + total) + ')';
    }
    shown.textContent = n + ' of ' + items.length + ' findings shown';
  }
  form.addEventListener('change', apply);
  // reset() sets the values before it returns (the reset event fires before it does)
  document.getElementById('show-all').addEventListener('click', function () { form.reset(); apply(); });
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  // a link to a finding the filters hide (the summary's worst failures) shows everything first
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[href^="#f-"]') : null;
    var target = a ? document.getElementById(a.getAttribute('href').slice(1)) : null;
    if (target && target.offsetParent === null) { form.reset(); apply(); }
  });
  form.hidden = false;
  apply();
})();
`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export const CSP = `default-src 'none'; style-src ${hash(CSS)}; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`;
