// Builds DOM nodes without innerHTML: every value from the API (user ids, model names, reasons) is set as text, so
// nothing a caller controls can become markup. No inline styles either (the CSP forbids them); sizes that depend on
// data (bar widths) are set through the CSSOM with setWidth().

/**
 * h('div', { class: 'card', onclick: fn, dataset: { id: 1 } }, 'text', child, [more, children])
 * Attributes starting with "on" become event listeners; `class` may be a string or an array (falsy entries dropped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (name === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2), value);
      } else if (name === 'text') {
        el.textContent = value;
      } else if (name === 'value') {
        el.value = value;
      } else if (name === 'checked' || name === 'disabled' || name === 'selected' || name === 'hidden') {
        el[name] = Boolean(value);
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Bar widths from data: CSSOM writes are allowed by a CSP without 'unsafe-inline'. */
export function setWidth(el, fraction) {
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  el.style.width = `${(f * 100).toFixed(2)}%`;
  return el;
}

export function setLeft(el, fraction) {
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  el.style.left = `${(f * 100).toFixed(2)}%`;
  return el;
}

/** A label + control pair for forms. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs }, options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}
