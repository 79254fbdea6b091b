// dom.js: one tiny element builder for the page modules that build their panels by hand.

/** `el("button", {class: "btn", text: "Clear", type: "button"}, child...)`: attributes set as attributes. */
export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};
