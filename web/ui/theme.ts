// Styles every element shares (buttons, focus rings, tables). Colours are CSS custom properties
// set on :root in web/styles.css; they inherit through shadow roots.
import { css } from 'lit';

export const baseStyles = css`
  :host { box-sizing: border-box; color: var(--tt-text, #1d2330); font: inherit; }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  button, input, select { font: inherit; color: inherit; }
  button {
    border: 1px solid var(--tt-border-strong, #b8c0cc); background: var(--tt-surface, #fff);
    border-radius: 6px; padding: 0.3rem 0.75rem; cursor: pointer; line-height: 1.3; white-space: nowrap;
  }
  button:hover:not(:disabled) { background: var(--tt-hover, #eef2f7); }
  button:disabled { opacity: 0.45; cursor: not-allowed; }
  button.primary { background: var(--tt-accent, #2860d8); border-color: var(--tt-accent, #2860d8); color: #fff; }
  button.primary:hover:not(:disabled) { background: var(--tt-accent-strong, #1f4fb5); }
  button.danger { border-color: var(--tt-danger, #c0392b); color: var(--tt-danger, #c0392b); }
  button.danger.solid { background: var(--tt-danger, #c0392b); color: #fff; }
  button:focus-visible, input:focus-visible, select:focus-visible, [tabindex]:focus-visible {
    outline: 2px solid var(--tt-focus, #2860d8); outline-offset: 2px;
  }
  .muted { color: var(--tt-muted, #5b6575); }
  .visually-hidden {
    position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--tt-border, #e1e5eb); vertical-align: middle; }
  th { font-weight: 600; font-size: 0.85em; color: var(--tt-muted, #5b6575); }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .bar { height: 0.5rem; border-radius: 999px; background: var(--tt-track, #e3e8ef); overflow: hidden; }
  .bar > span { display: block; height: 100%; background: var(--tt-accent, #2860d8); transition: width 0.3s ease; }
  .bar.done > span { background: var(--tt-ok, #1e8e4f); }
  .bar.error > span { background: var(--tt-danger, #c0392b); }
  .bar.paused > span { background: var(--tt-muted, #8a94a3); }
  h2, h3 { margin: 0 0 0.5rem; font-size: 1rem; font-weight: 600; }
`;
