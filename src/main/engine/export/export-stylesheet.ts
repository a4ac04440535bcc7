// The exported page's only style, inlined: the page loads nothing (no font, no sheet, no image), so
// it reads the same offline, in a mail attachment or years later. The colours are the app's, light
// and dark following the reader's system, so a shared page looks like the window it came from.
export const EXPORT_STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1c1f24; --muted: #6a717d; --border: #dfe2e7;
  --accent: #3563d9; --user-bg: #eef2fb; --code-bg: #f3f4f6; --danger: #b42318; --ok: #1a7f37;
  --mono: ui-monospace, 'SF Mono', 'Cascadia Code', Menlo, Consolas, monospace;
  --kw: #a626a4; --str: #50a14f; --num: #986801; --com: #8b929c; --fn: #4078f2; --type: #c18401;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  font-size: 15px;
  line-height: 1.55;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171b; --panel: #1c1f24; --text: #e4e6ea; --muted: #979ea9; --border: #2b2f36;
    --accent: #6e93f5; --user-bg: #222a3a; --code-bg: #23262c; --danger: #f4a29b; --ok: #6fd08c;
    --kw: #c678dd; --str: #98c379; --num: #d19a66; --com: #7f8691; --fn: #61afef; --type: #e5c07b;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
main { max-width: 860px; margin: 0 auto; padding: 28px 20px 48px; }
main > header { margin-bottom: 20px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 0.85rem; margin: 0; overflow-wrap: anywhere; }
.message { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 12px 16px; margin: 12px 0; }
.message.user { background: var(--user-bg); }
.who { display: flex; gap: 8px; align-items: baseline; font-weight: 600; font-size: 0.85rem; margin-bottom: 6px; }
.who time, .who .model { font-weight: 400; color: var(--muted); }
.user-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.markdown > :first-child { margin-top: 0; }
.markdown > :last-child { margin-bottom: 0; }
.markdown p { margin: 0.5em 0; }
.markdown a { color: var(--accent); }
.markdown table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
.markdown th, .markdown td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; }
.markdown th { background: var(--code-bg); }
.markdown :not(pre) > code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; }
.markdown blockquote { margin: 8px 0; padding-left: 12px; border-left: 3px solid var(--border); color: var(--muted); }
code, pre { font-family: var(--mono); font-size: 0.86rem; }
pre { margin: 0; padding: 10px 12px; overflow-x: auto; background: var(--code-bg); }
.code-block { border: 1px solid var(--border); border-radius: 8px; margin: 8px 0; overflow: hidden; background: var(--code-bg); }
.code-lang { padding: 3px 12px; font-size: 0.75rem; color: var(--muted); border-bottom: 1px solid var(--border); }
.files { margin: 6px 0 0; padding-left: 18px; font-family: var(--mono); font-size: 0.8rem; color: var(--muted); }
details { border: 1px solid var(--border); border-radius: 8px; margin: 8px 0; background: var(--panel); }
details > summary { cursor: pointer; padding: 6px 10px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; font-size: 0.85rem; }
details > summary::marker { color: var(--muted); }
details[open] > summary { border-bottom: 1px solid var(--border); }
.tool-name { font-weight: 600; font-family: var(--mono); }
.tool-brief { color: var(--muted); overflow-wrap: anywhere; }
.tool-outcome { margin-left: auto; color: var(--ok); }
.tool-outcome.failed { color: var(--danger); }
.tool-edited { color: var(--muted); font-style: italic; }
.tool-body > * { border-radius: 0; }
.tool-label { padding: 4px 10px; font-size: 0.75rem; color: var(--muted); border-top: 1px solid var(--border); }
.tool-label:first-child { border-top: 0; }
.tool-path { padding: 6px 10px; font-family: var(--mono); font-size: 0.8rem; }
.tool-output { white-space: pre-wrap; overflow-wrap: anywhere; }
.system pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.note { margin-top: 8px; font-size: 0.85rem; color: var(--muted); }
.note.failure { color: var(--danger); }
.hljs-keyword, .hljs-selector-tag, .hljs-built_in, .hljs-meta .hljs-keyword { color: var(--kw); }
.hljs-string, .hljs-attr-value, .hljs-regexp, .hljs-addition { color: var(--str); }
.hljs-number, .hljs-literal, .hljs-symbol { color: var(--num); }
.hljs-comment, .hljs-quote, .hljs-meta { color: var(--com); font-style: italic; }
.hljs-title, .hljs-section, .hljs-name { color: var(--fn); }
.hljs-type, .hljs-attr, .hljs-attribute, .hljs-selector-class, .hljs-variable.language_ { color: var(--type); }
.hljs-deletion { color: var(--danger); }
@media print {
  details { break-inside: avoid; }
  .message { break-inside: avoid-page; }
}
`;
