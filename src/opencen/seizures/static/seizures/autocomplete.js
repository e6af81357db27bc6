/* opencen: code autocomplete from the reference API, without dependencies.
 *
 * An input marked data-ac="hs|places|countries|cites|currencies" gets a listbox of suggestions
 * as the officer types (code prefix or words); choosing one puts the code in the input and fires
 * "change".  data-ac-country="<field>" narrows places to the country typed in that field of the
 * same row (or form); data-ac-fill='{"appendix": "<field>"}' copies a property of the chosen item
 * into an empty field of the same row.  The endpoints come from this script tag's data-*.
 * Keyboard: arrows move, Enter chooses, Escape closes.  Works on rows added later (delegation).
 */
(function () {
  "use strict";
  const script = document.currentScript;
  const ENDPOINTS = script ? script.dataset : {};
  const SOURCES = {
    hs: {min: 2, value: (i) => i.code, text: (i) => i.description,
         keep: (i) => i.level !== "section"},
    places: {min: 2, value: (i) => i.code,
             text: (i) => i.name + (i.subdivision ? " (" + i.subdivision + ")" : "")},
    countries: {min: 1, value: (i) => i.code, text: (i) => i.name},
    cites: {min: 3, value: (i) => i.scientific_name,
            text: (i) => (i.appendix ? "App. " + i.appendix : "") +
              (i.common_names && i.common_names.length ? " · " + i.common_names[0] : "")},
    currencies: {min: 1, value: (i) => i.code, text: (i) => i.name},
  };
  const LIMIT = 10;
  let counter = 0;

  function scopeOf(input) {
    return input.closest("[data-row]") || input.form || document;
  }

  function fieldIn(scope, name) {
    return Array.from(scope.querySelectorAll("[name]")).find(
      (el) => el.name === name || el.name.endsWith("-" + name));
  }

  function listOf(input) {
    if (input._acList && input._acList.isConnected) return input._acList;
    const list = document.createElement("ul");
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    list.id = (input.id || "ac") + "-list-" + (++counter);
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input._acList = list;
    return list;
  }

  function close(input) {
    const list = input._acList;
    if (!list) return;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function hint(input, text) {
    const field = input.closest(".field") || input.parentElement;
    let small = field.querySelector(":scope > .ac-hint");
    if (!small) {
      small = document.createElement("small");
      small.className = "ac-hint";
      field.appendChild(small);
    }
    small.textContent = text;
  }

  function choose(input, option) {
    input.value = option.dataset.value;
    hint(input, option.dataset.text || "");
    const fill = input.dataset.acFill ? JSON.parse(input.dataset.acFill) : {};
    const item = option._item || {};
    for (const [key, target] of Object.entries(fill)) {
      const el = fieldIn(scopeOf(input), target);
      if (el && !el.value && item[key]) {
        el.value = item[key];
        el.dispatchEvent(new Event("change", {bubbles: true}));
      }
    }
    close(input);
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function show(input, items, source) {
    const list = listOf(input);
    list.replaceChildren();
    items.forEach((item, n) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = list.id + "-" + n;
      li.setAttribute("aria-selected", "false");
      li.dataset.value = source.value(item);
      li.dataset.text = source.text(item) || "";
      li.title = li.dataset.value + " " + li.dataset.text;
      li._item = item;
      const body = document.createElement("span");
      const code = document.createElement("strong");
      code.textContent = li.dataset.value;
      body.append(code, document.createTextNode(li.dataset.text));
      li.appendChild(body);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  async function suggest(input) {
    const source = SOURCES[input.dataset.ac];
    const endpoint = ENDPOINTS[input.dataset.ac];
    const q = input.value.trim();
    if (!source || !endpoint || q.length < source.min) { close(input); return; }
    const url = new URL(endpoint, window.location.origin);
    url.searchParams.set("q", q);
    url.searchParams.set("limit", String(LIMIT + 2));
    if (input.dataset.acCountry) {
      const country = fieldIn(scopeOf(input), input.dataset.acCountry);
      const code = country ? country.value.trim().toUpperCase() : "";
      if (/^[A-Z]{2}$/.test(code)) url.searchParams.set("country", code);
    }
    const ticket = (input._acTicket = (input._acTicket || 0) + 1);
    let items = [];
    try {
      const response = await fetch(url, {credentials: "same-origin",
                                          headers: {Accept: "application/json"}});
      if (response.ok) {
        const data = await response.json();
        items = (data.items || data || []).filter(source.keep || (() => true)).slice(0, LIMIT);
      }
    } catch (err) {
      items = [];
    }
    if (ticket !== input._acTicket || document.activeElement !== input) return;
    show(input, items, source);
  }

  function move(input, step) {
    const list = input._acList;
    if (!list || list.hidden) return false;
    const options = Array.from(list.children);
    let at = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (at >= 0) options[at].setAttribute("aria-selected", "false");
    at = (at + step + options.length) % options.length;
    options[at].setAttribute("aria-selected", "true");
    options[at].scrollIntoView({block: "nearest"});
    input.setAttribute("aria-activedescendant", options[at].id);
    return true;
  }

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.ac) return;
    clearTimeout(input._acTimer);
    input._acTimer = setTimeout(() => suggest(input), 180);
  });

  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.ac) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (move(input, event.key === "ArrowDown" ? 1 : -1)) event.preventDefault();
    } else if (event.key === "Enter") {
      const list = input._acList;
      const active = list && !list.hidden && list.querySelector("[aria-selected=true]");
      if (active) { event.preventDefault(); choose(input, active); }
    } else if (event.key === "Escape") {
      close(input);
    }
  });

  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest && event.target.closest(".ac-list [role=option]");
    if (!option) return;
    event.preventDefault(); // keep the focus in the input
    const input = option.parentElement.previousElementSibling;
    if (input && input.dataset.ac) choose(input, option);
  });

  document.addEventListener("focusout", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.dataset.ac) {
      setTimeout(() => { if (document.activeElement !== input) close(input); }, 150);
    }
  });
})();
