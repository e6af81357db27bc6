/* opencen: the case entry form's rows and conditional fields, without dependencies.
 *
 * Rows: a [data-formset=<prefix>] section holds a Django management form, a .rows container of
 * [data-row] elements and a <template> with the empty row (prefix "__prefix__").  [data-add-row]
 * appends a row (data-insert="transit" puts it before a final destination leg), [data-remove-row]
 * removes one; rows are renumbered in page order so that the server reads them in that order.
 *
 * Conditional fields: a wrapper [data-show-if=<field>][data-show-values="a b"] is shown while
 * that field of the same row (or form) holds one of the values, and always while it holds a value
 * itself, so nothing typed is ever hidden.  Without JavaScript every field simply shows.
 */
(function () {
  "use strict";
  const ATTRS = ["name", "id", "for", "aria-controls", "aria-describedby"];

  function renumber(section) {
    const prefix = section.dataset.formset;
    const pattern = new RegExp("(^|\\s|_)" + prefix + "-(?:\\d+|__prefix__)-", "g");
    const rows = section.querySelectorAll(":scope > .rows > [data-row]");
    rows.forEach((row, index) => {
      row.querySelectorAll("*").forEach((el) => {
        for (const attr of ATTRS) {
          const value = el.getAttribute(attr);
          if (value && value.includes(prefix + "-")) {
            el.setAttribute(attr, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
          }
        }
      });
      const number = row.querySelector("[data-row-no]");
      if (number) number.textContent = String(index + 1);
    });
    const total = section.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (total) total.value = String(rows.length);
  }

  function addRow(button) {
    const section = button.closest("[data-formset]");
    const template = section.querySelector(":scope > template");
    const rows = section.querySelector(":scope > .rows");
    const count = rows.querySelectorAll(":scope > [data-row]").length;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count)).trim();
    const row = holder.firstElementChild;
    const last = rows.lastElementChild;
    const lastRole = last && last.querySelector("select[name$='-role']");
    if (button.dataset.insert === "transit" && lastRole && lastRole.value === "destination") {
      rows.insertBefore(row, last);
    } else {
      rows.appendChild(row);
    }
    const role = row.querySelector("select[name$='-role']");
    if (role && button.dataset.insert) role.value = button.dataset.insert;
    renumber(section);
    if (window.htmx) window.htmx.process(row);
    applyShowIf(row);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function removeRow(button) {
    const section = button.closest("[data-formset]");
    button.closest("[data-row]").remove();
    renumber(section);
  }

  function holdsValue(wrapper) {
    return Array.from(wrapper.querySelectorAll("input, select, textarea")).some((el) =>
      el.type === "checkbox" || el.type === "radio" ? el.checked : el.value.trim() !== "");
  }

  function applyShowIf(root) {
    const scope = root || document;
    const wrappers = scope.querySelectorAll ? scope.querySelectorAll("[data-show-if]") : [];
    wrappers.forEach((wrapper) => {
      const owner = wrapper.closest("[data-row]") || wrapper.closest("form") || document;
      const name = wrapper.dataset.showIf;
      const control = Array.from(owner.querySelectorAll("[name]")).find(
        (el) => el.name === name || el.name.endsWith("-" + name));
      const values = (wrapper.dataset.showValues || "").split(" ");
      const wanted = control ? values.includes(control.value) : true;
      wrapper.hidden = !(wanted || holdsValue(wrapper));
    });
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest && event.target.closest("[data-add-row]");
    if (add) { event.preventDefault(); addRow(add); return; }
    const remove = event.target.closest && event.target.closest("[data-remove-row]");
    if (remove) { event.preventDefault(); removeRow(remove); }
  });
  document.addEventListener("change", () => applyShowIf(document));
  document.addEventListener("htmx:afterSettle", () => applyShowIf(document));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => applyShowIf(document));
  } else {
    applyShowIf(document);
  }
})();
